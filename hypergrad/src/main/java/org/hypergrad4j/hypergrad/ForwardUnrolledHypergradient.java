package org.hypergrad4j.hypergrad;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hypergrad4j.core.LossAndGradient;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.core.SecondOrderView;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Forward-mode differentiation through {@code T} steps of SGD with momentum (Franceschi et al. 2017;
 * {@link SgdSchedule}: {@code m ← μm + g, w ← w − η_t m}): tangents {@code Z_t = dw_t/dθ} and
 * {@code Y_t = dm_t/dθ} for each scalar hyperparameter {@code θ} (every entry of {@code λ}, plus the global
 * learning rate {@code η} and momentum {@code μ}), updated alongside training:
 * <pre>
 * Y_{t+1} = μ Y_t + H_t Z_t + ∂g_t/∂θ + [θ = μ] m_t
 * Z_{t+1} = Z_t − η_t Y_{t+1} − [θ = η] m_{t+1}
 * </pre>
 * with {@code ∂g_t/∂λ_j = (∂²L_T/∂w∂λ) e_j}. The hypergradient is {@code ⟨∂L_V/∂w(w_T), Z_T⟩ + ∂L_V/∂θ}.
 * Memory does not grow with {@code T}; each step costs one Hessian product per scalar hyperparameter
 * (plus one mixed product per entry of λ), so it suits few hyperparameters.
 *
 * <p>Real-time use (RTHO): {@link #start}, then {@link Run#step()} repeatedly; {@link Run#hypergradient()}
 * may be read and λ changed between steps without resetting the tangents.
 */
public final class ForwardUnrolledHypergradient implements HypergradientThroughTraining {
    /** Largest number of scalar hyperparameters forward mode accepts (one tangent vector each). */
    public static final long MAX_TANGENTS = 4096;

    private final SgdSchedule schedule;
    private final StepFeeds feeds;

    public ForwardUnrolledHypergradient(SgdSchedule schedule, StepFeeds feeds) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.feeds = Objects.requireNonNull(feeds, "feeds");
    }

    @Override
    public HypergradientResult compute(HypergradientProblem problem) {
        return computeUnrolled(problem).result();
    }

    /** Trains {@code T} steps from the current weights, carrying tangents, and returns all hypergradients. */
    public UnrolledHypergradient computeUnrolled(HypergradientProblem problem) {
        long start = System.nanoTime();
        Run run = start(problem);
        for (int t = 0; t < schedule.steps(); t++) {
            run.step();
        }
        Hypergradients h = run.hypergradient();
        HypergradientResult result = new HypergradientResult(h.lambda(), h.validationLoss(), describe(), run.hessianProducts,
                run.mixedProducts, schedule.steps(), Double.NaN, true, "carried " + run.tangents() + " tangents through "
                + schedule.steps() + " steps", (System.nanoTime() - start) / 1e9);
        double[] perStep = new double[schedule.steps()];
        // Forward mode differentiates the global learning rate; report it spread evenly is meaningless, so
        // the per-step vector holds the global derivative at index 0 and zeros elsewhere.
        perStep[0] = h.learningRate();
        return new UnrolledHypergradient(result, perStep, h.momentum(), null, 0);
    }

    /** Starts a forward-mode run from the problem's current weights. */
    public Run start(HypergradientProblem problem) {
        long n = problem.hyperparameters().length();
        if (n + 2 > MAX_TANGENTS) {
            throw new IllegalArgumentException("Forward mode carries one tangent per scalar hyperparameter; this problem has " + n
                    + " (limit " + MAX_TANGENTS + "). Use implicit or reverse-unrolled differentiation.");
        }
        return new Run(problem);
    }

    /**
     * Hypergradients at the current step.
     *
     * @param lambda         {@code dL_V/dλ}, shaped like the hyperparameters
     * @param learningRate   {@code dL_V/dη} for the global learning rate
     * @param momentum       {@code dL_V/dμ}
     * @param validationLoss {@code L_V(w_t)}
     */
    public record Hypergradients(ParamVector lambda, double learningRate, double momentum, double validationLoss) {
    }

    /** A training run carrying tangents; λ may be changed between steps (real-time hyperparameter optimisation). */
    public final class Run {
        private final HypergradientProblem problem;
        private final SecondOrderView training;
        private final ParamVector w;
        private final ParamVector m;
        /** Tangent pairs (Z = ∂w/∂θ, Y = ∂m/∂θ): one per entry of λ, then η, then μ. */
        private final List<ParamVector> z = new ArrayList<>();
        private final List<ParamVector> y = new ArrayList<>();
        private final int lambdaCount;
        private int t;
        private long hessianProducts;
        private long mixedProducts;

        private Run(HypergradientProblem problem) {
            this.problem = problem;
            this.training = problem.training();
            this.w = problem.weights();
            this.m = w.zerosLike();
            this.lambdaCount = Math.toIntExact(problem.hyperparameters().length());
            for (int j = 0; j < lambdaCount + 2; j++) {
                z.add(w.zerosLike());
                y.add(w.zerosLike());
            }
        }

        /** The number of tangents carried. */
        public int tangents() {
            return z.size();
        }

        /** Steps taken. */
        public int stepsTaken() {
            return t;
        }

        /** One training step with tangent updates; step {@code t} uses {@code η_t} and feed {@code t}. */
        public void step() {
            if (t >= schedule.steps()) {
                throw new IllegalStateException("All " + schedule.steps() + " steps of the schedule were taken.");
            }
            Map<String, INDArray> feed = feeds.feedAt(t);
            double eta = schedule.learningRate(t);
            double mu = schedule.momentum();
            LossAndGradient lg = training.lossAndGradient(feed);
            NonFiniteValueException.check("training loss at step " + t, lg.loss());
            ParamVector g = lg.weightGradient();
            NonFiniteValueException.check("training gradient at step " + t, g);
            ParamVector lambdaTemplate = problem.hyperparameters();
            for (int j = 0; j < z.size(); j++) {
                ParamVector zj = z.get(j);
                ParamVector yj = y.get(j);
                ParamVector drive = training.hessianAndMixed(zj, feed).hessianVector();
                hessianProducts++;
                if (j < lambdaCount) {
                    drive.axpyInPlace(1.0, training.mixedTransposeProduct(lambdaTemplate.unitVector(j), feed));
                    mixedProducts++;
                }
                yj.scaleInPlace(mu).axpyInPlace(1.0, drive);
                if (j == lambdaCount + 1) {
                    yj.axpyInPlace(1.0, m); // ∂(μ m_t)/∂μ, with m_t before this step's update
                }
            }
            if (mu == 0) {
                m.assignInPlace(g);
            } else {
                m.scaleInPlace(mu).axpyInPlace(1.0, g);
            }
            for (int j = 0; j < z.size(); j++) {
                z.get(j).axpyInPlace(-eta, y.get(j));
                if (j == lambdaCount) {
                    z.get(j).axpyInPlace(-1.0, m);
                }
            }
            w.axpyInPlace(-eta, m);
            t++;
        }

        /** {@code dL_V/dθ = ⟨∂L_V/∂w(w_t), Z_t⟩ + ∂L_V/∂θ} for every carried hyperparameter, at the current step. */
        public Hypergradients hypergradient() {
            LossAndGradient val = problem.validation().lossAndGradient(problem.validationFeed().get());
            NonFiniteValueException.check("validation gradient ∂L_V/∂w", val.weightGradient());
            double[] h = new double[lambdaCount];
            for (int j = 0; j < lambdaCount; j++) {
                h[j] = val.weightGradient().dot(z.get(j));
            }
            ParamVector lambda = val.hyperparameterGradient().add(val.hyperparameterGradient().withValues(h));
            NonFiniteValueException.check("hypergradient", lambda);
            return new Hypergradients(lambda, val.weightGradient().dot(z.get(lambdaCount)),
                    val.weightGradient().dot(z.get(lambdaCount + 1)), val.loss());
        }
    }

    @Override
    public String describe() {
        return "forward-unrolled, " + schedule;
    }
}
