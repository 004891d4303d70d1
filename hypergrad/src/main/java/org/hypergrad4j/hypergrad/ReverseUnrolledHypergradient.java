package org.hypergrad4j.hypergrad;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hypergrad4j.core.CurvatureProducts;
import org.hypergrad4j.core.LossAndGradient;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.core.SecondOrderView;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reverse-mode differentiation through {@code T} steps of SGD with momentum ({@link SgdSchedule}:
 * {@code m ← μm + g, w ← w − η_t m}), truncated to the last {@code K} steps if asked (Maclaurin et al. 2015;
 * Shaban et al. 2019). Starting from the graph's current weights, it trains forward (leaving {@code w_T} in
 * the graph), then walks back:
 * <pre>
 * dw = ∂L_V/∂w(w_T), dλ = ∂L_V/∂λ, dm = 0
 * for t = T−1 … T−K:
 *     dη_t = −⟨dw, m_{t+1}⟩;  dm −= η_t dw;  dμ += ⟨dm, m_t⟩
 *     dw += H_t dm;           dλ += (∂²L_T/∂λ∂w)_t dm;  dm ← μ dm
 * </pre>
 * one Hessian-and-mixed product per step. States {@code (w_t, m_t)} of the window are stored during
 * the forward pass, or, with {@link #checkpointingEvery(int)}, only every {@code c}-th state is stored
 * and each segment is recomputed before it is reversed (one extra forward pass, memory
 * {@code O(K/c + c)} vectors instead of {@code O(K)}).
 */
public final class ReverseUnrolledHypergradient implements HypergradientThroughTraining {
    private final SgdSchedule schedule;
    private final StepFeeds feeds;
    private final int window;
    private final int checkpointEvery;

    private ReverseUnrolledHypergradient(SgdSchedule schedule, StepFeeds feeds, int window, int checkpointEvery) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.feeds = Objects.requireNonNull(feeds, "feeds");
        if (window < 1 || window > schedule.steps()) {
            throw new IllegalArgumentException("Truncation window K must lie in [1, T = " + schedule.steps() + "], got " + window + ".");
        }
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpointEvery must be at least 1 (or 0 for storing every state), got " + checkpointEvery + ".");
        }
        this.window = window;
        this.checkpointEvery = checkpointEvery;
    }

    /** Differentiates through all {@code T} steps, storing every state. */
    public static ReverseUnrolledHypergradient full(SgdSchedule schedule, StepFeeds feeds) {
        return new ReverseUnrolledHypergradient(schedule, feeds, schedule.steps(), 0);
    }

    /** Differentiates through the last {@code k} of {@code T} steps only (truncated back-propagation). */
    public static ReverseUnrolledHypergradient truncated(SgdSchedule schedule, StepFeeds feeds, int k) {
        return new ReverseUnrolledHypergradient(schedule, feeds, k, 0);
    }

    /** The same method storing only every {@code c}-th state and recomputing the others. */
    public ReverseUnrolledHypergradient checkpointingEvery(int c) {
        if (c < 1) {
            throw new IllegalArgumentException("checkpointEvery must be at least 1, got " + c + ".");
        }
        return new ReverseUnrolledHypergradient(schedule, feeds, window, c);
    }

    @Override
    public HypergradientResult compute(HypergradientProblem problem) {
        return computeUnrolled(problem).result();
    }

    /** Trains {@code T} steps from the current weights and differentiates back through the window. */
    public UnrolledHypergradient computeUnrolled(HypergradientProblem problem) {
        long start = System.nanoTime();
        SecondOrderView training = problem.training();
        ParamVector w = problem.weights();
        int steps = schedule.steps();
        int first = steps - window;
        double mu = schedule.momentum();

        // Forward pass: store either every state of the window, or checkpoints.
        ParamVector m = w.zerosLike();
        List<State> states = new ArrayList<>();
        List<State> checkpoints = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            boolean inWindow = t >= first;
            if (inWindow && checkpointEvery > 0 && (t - first) % checkpointEvery == 0) {
                checkpoints.add(new State(t, w.dup(), m.dup()));
            }
            State before = step(training, w, m, t, inWindow && checkpointEvery == 0);
            if (before != null) {
                states.add(before);
            }
        }
        ParamVector finalW = w.dup();
        ParamVector finalM = m.dup();
        long storedBytes = bytes(states) + bytes(checkpoints);

        Map<String, INDArray> valFeed = problem.validationFeed().get();
        LossAndGradient val = problem.validation().lossAndGradient(valFeed);
        NonFiniteValueException.check("validation loss L_V(w_T)", val.loss());
        NonFiniteValueException.check("validation gradient ∂L_V/∂w at w_T", val.weightGradient());
        ParamVector dw = val.weightGradient().dup();
        ParamVector dlambda = val.hyperparameterGradient().dup();
        ParamVector dm = w.zerosLike();
        double[] dEta = new double[steps];
        Map<String, double[]> dEtaTensor = new java.util.LinkedHashMap<>();
        schedule.tensorLearningRates().keySet().forEach(k -> dEtaTensor.put(k, new double[steps]));
        double dMu = 0;
        long products = 0;
        ParamVector nextM = finalM;

        // Reverse pass, segment by segment (one segment when every state was stored).
        int segmentEnd = steps;
        int segmentIndex = checkpoints.size() - 1;
        while (segmentEnd > first) {
            List<State> segment;
            if (checkpointEvery == 0) {
                segment = states;
            } else {
                State cp = checkpoints.get(segmentIndex--);
                w.assignInPlace(cp.w());
                ParamVector mm = cp.m().dup();
                segment = new ArrayList<>();
                for (int t = cp.step(); t < segmentEnd; t++) {
                    segment.add(step(training, w, mm, t, true));
                }
                long held = bytes(checkpoints) + bytes(segment);
                storedBytes = Math.max(storedBytes, held);
            }
            for (int i = segment.size() - 1; i >= 0; i--) {
                State s = segment.get(i);
                int t = s.step();
                dEta[t] = -dw.dot(nextM);
                if (schedule.perTensor()) {
                    // Per tensor k: ∂L/∂η_{t,k} = −⟨dw_k, m_{t+1,k}⟩, and dm_k −= η_{t,k} dw_k.
                    for (String k : w.names()) {
                        ParamVector dwk = ParamVector.of(k, dw.get(k));
                        double[] g = dEtaTensor.get(k);
                        if (g != null) {
                            g[t] = -dwk.dot(ParamVector.of(k, nextM.get(k)));
                        }
                        ParamVector.of(k, dm.get(k)).axpyInPlace(-schedule.learningRate(t, k), dwk);
                    }
                } else {
                    dm.axpyInPlace(-schedule.learningRate(t), dw);
                }
                dMu += dm.dot(s.m());
                w.assignInPlace(s.w());
                CurvatureProducts p = training.hessianAndMixed(dm, feeds.feedAt(t));
                products++;
                NonFiniteValueException.check("Hessian-vector product at step " + t, p.hessianVector());
                dw.axpyInPlace(1.0, p.hessianVector());
                dlambda.axpyInPlace(1.0, p.mixedVector());
                dm.scaleInPlace(mu);
                nextM = s.m();
            }
            segmentEnd = segment.isEmpty() ? first : segment.get(0).step();
        }
        w.assignInPlace(finalW);
        NonFiniteValueException.check("hypergradient", dlambda);

        String method = describe();
        HypergradientResult result = new HypergradientResult(dlambda, val.loss(), method, products, products, window,
                Double.NaN, true, "differentiated through " + window + " of " + steps + " steps", (System.nanoTime() - start) / 1e9);
        return new UnrolledHypergradient(result, dEta, dMu, window == steps ? dw : null, storedBytes, dEtaTensor);
    }

    /**
     * One SGD-with-momentum step in place, {@code m ← μm + g}, {@code w ← w − η_t m}, with the operations of
     * {@code bilevel.optim.Sgd} in its order (so the trajectory is that optimiser's, bit for bit).
     *
     * @return the state {@code (w_t, m_t)} before the step if {@code record}, else {@code null}
     */
    private State step(SecondOrderView training, ParamVector w, ParamVector m, int t, boolean record) {
        ParamVector wBefore = record ? w.dup() : null;
        ParamVector mBefore = record ? m.dup() : null;
        LossAndGradient lg = training.lossAndGradient(feeds.feedAt(t));
        NonFiniteValueException.check("training loss at step " + t, lg.loss());
        ParamVector g = lg.weightGradient();
        NonFiniteValueException.check("training gradient at step " + t, g);
        if (schedule.momentum() == 0) {
            m.assignInPlace(g);
        } else {
            m.scaleInPlace(schedule.momentum()).axpyInPlace(1.0, g);
        }
        if (schedule.perTensor()) {
            for (String k : w.names()) {
                ParamVector.of(k, w.get(k)).axpyInPlace(-schedule.learningRate(t, k), ParamVector.of(k, m.get(k)));
            }
        } else {
            w.axpyInPlace(-schedule.learningRate(t), m);
        }
        return record ? new State(t, wBefore, mBefore) : null;
    }

    private static long bytes(List<State> states) {
        long b = 0;
        for (State s : states) {
            for (ParamVector p : new ParamVector[] {s.w(), s.m()}) {
                if (p != null) {
                    b += p.length() * p.dataType().width();
                }
            }
        }
        return b;
    }

    /** {@code (w_t, m_t)} before step {@code t} (the reverse pass needs no gradient: {@code dμ} uses {@code m_t}). */
    private record State(int step, ParamVector w, ParamVector m) {
    }

    @Override
    public String describe() {
        String base = window == schedule.steps() ? "reverse-unrolled" : "truncated reverse-unrolled (K=" + window + ")";
        return base + ", " + schedule + (checkpointEvery > 0 ? ", checkpoint every " + checkpointEvery : "");
    }
}
