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
 * Reverse-mode differentiation through {@code T} steps of SGD with momentum ({@link SgdSchedule}),
 * truncated to the last {@code K} steps if asked (Maclaurin et al. 2015; Shaban et al. 2019). Starting
 * from the graph's current weights, it trains forward (leaving {@code w_T} in the graph), then walks back:
 * <pre>
 * dw = ∂L_V/∂w(w_T), dλ = ∂L_V/∂λ, dv = 0
 * for t = T−1 … T−K:
 *     dα_t = ⟨dw, v_{t+1}⟩;  dv += α_t dw;  dγ += ⟨dv, v_t + g_t⟩
 *     dw −= (1−γ) H_t dv;    dλ −= (1−γ) (∂²L_T/∂λ∂w)_t dv;  dv ← γ dv
 * </pre>
 * one Hessian-and-mixed product per step. States {@code (w_t, v_t, g_t)} of the window are stored during
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
        double gamma = schedule.momentum();

        // Forward pass: store either every state of the window, or checkpoints.
        ParamVector v = w.zerosLike();
        List<State> states = new ArrayList<>();
        List<State> checkpoints = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            boolean inWindow = t >= first;
            if (inWindow && checkpointEvery > 0 && (t - first) % checkpointEvery == 0) {
                checkpoints.add(new State(t, w.dup(), v.dup(), null));
            }
            State before = step(training, w, v, t, inWindow && checkpointEvery == 0);
            if (before != null) {
                states.add(before);
            }
        }
        ParamVector finalW = w.dup();
        ParamVector finalV = v.dup();
        long storedBytes = bytes(states) + bytes(checkpoints);

        Map<String, INDArray> valFeed = problem.validationFeed().get();
        LossAndGradient val = problem.validation().lossAndGradient(valFeed);
        NonFiniteValueException.check("validation loss L_V(w_T)", val.loss());
        NonFiniteValueException.check("validation gradient ∂L_V/∂w at w_T", val.weightGradient());
        ParamVector dw = val.weightGradient().dup();
        ParamVector dlambda = val.hyperparameterGradient().dup();
        ParamVector dv = w.zerosLike();
        double[] dAlpha = new double[steps];
        double dGamma = 0;
        long products = 0;
        ParamVector nextV = finalV;

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
                ParamVector vv = cp.v().dup();
                segment = new ArrayList<>();
                for (int t = cp.step(); t < segmentEnd; t++) {
                    segment.add(step(training, w, vv, t, true));
                }
                long held = bytes(checkpoints) + bytes(segment);
                storedBytes = Math.max(storedBytes, held);
            }
            for (int i = segment.size() - 1; i >= 0; i--) {
                State s = segment.get(i);
                int t = s.step();
                double alpha = schedule.learningRate(t);
                dAlpha[t] = dw.dot(nextV);
                dv.axpyInPlace(alpha, dw);
                dGamma += dv.dot(s.v().add(s.g()));
                w.assignInPlace(s.w());
                CurvatureProducts p = training.hessianAndMixed(dv, feeds.feedAt(t));
                products++;
                NonFiniteValueException.check("Hessian-vector product at step " + t, p.hessianVector());
                dw.axpyInPlace(-(1 - gamma), p.hessianVector());
                dlambda.axpyInPlace(-(1 - gamma), p.mixedVector());
                dv.scaleInPlace(gamma);
                nextV = s.v();
            }
            segmentEnd = segment.isEmpty() ? first : segment.get(0).step();
        }
        w.assignInPlace(finalW);
        NonFiniteValueException.check("hypergradient", dlambda);

        String method = describe();
        HypergradientResult result = new HypergradientResult(dlambda, val.loss(), method, products, products, window,
                Double.NaN, true, "differentiated through " + window + " of " + steps + " steps", (System.nanoTime() - start) / 1e9);
        return new UnrolledHypergradient(result, dAlpha, dGamma, window == steps ? dw : null, storedBytes);
    }

    /**
     * One SGD-with-momentum step in place: {@code v ← γv − (1−γ)g}, {@code w ← w + α_t v}.
     *
     * @return the state {@code (w_t, v_t, g_t)} before the step if {@code record}, else {@code null}
     */
    private State step(SecondOrderView training, ParamVector w, ParamVector v, int t, boolean record) {
        ParamVector wBefore = record ? w.dup() : null;
        ParamVector vBefore = record ? v.dup() : null;
        LossAndGradient lg = training.lossAndGradient(feeds.feedAt(t));
        NonFiniteValueException.check("training loss at step " + t, lg.loss());
        ParamVector g = lg.weightGradient();
        NonFiniteValueException.check("training gradient at step " + t, g);
        v.scaleInPlace(schedule.momentum()).axpyInPlace(-(1 - schedule.momentum()), g);
        w.axpyInPlace(schedule.learningRate(t), v);
        return record ? new State(t, wBefore, vBefore, g) : null;
    }

    private static long bytes(List<State> states) {
        long b = 0;
        for (State s : states) {
            for (ParamVector p : new ParamVector[] {s.w(), s.v(), s.g()}) {
                if (p != null) {
                    b += p.length() * p.dataType().width();
                }
            }
        }
        return b;
    }

    /** {@code (w_t, v_t, g_t)} before step {@code t}. */
    private record State(int step, ParamVector w, ParamVector v, ParamVector g) {
    }

    @Override
    public String describe() {
        String base = window == schedule.steps() ? "reverse-unrolled" : "truncated reverse-unrolled (K=" + window + ")";
        return base + ", " + schedule + (checkpointEvery > 0 ? ", checkpoint every " + checkpointEvery : "");
    }
}
