package org.hypergrad4j.bilevel.inexact;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.hypergrad4j.core.ParamVector;

/**
 * MAID, the adaptively inexact first-order bilevel method with backtracking (Salehi, Mukherjee, Roberts,
 * Ehrhardt). Each iteration:
 * <ol>
 *   <li>computes the hypergradient {@code z} at accuracy {@code (ε, δ)}, shrinking both by {@code τ} while
 *       the error bound {@code ω(ε, δ) > (1 − η)‖z‖} (so {@code −z} is a descent direction);</li>
 *   <li>backtracks over steps {@code β ρ^k}: a step {@code α} is accepted when the upper bound of the new
 *       upper-level value is below the lower bound of the old one less {@code α η ‖z‖²}, with
 *       {@code |f(ŵ) − F(λ)| ≤ ‖∇_w f‖ε + L_f ε²/2};</li>
 *   <li>on success {@code ε, δ ← νε, νδ} and {@code β ← α/ρ}; on failure (no step accepted) {@code ε, δ ← τε, τδ}
 *       and retry, up to {@code attempts} times.</li>
 * </ol>
 * Defaults (the authors'): {@code ε₀ = δ₀ = 0.1}, {@code η = 1e-4}, {@code ρ = 0.9}, {@code τ = 0.5},
 * {@code ν = 1.05}, {@code β₀ = 0.1}. Cost: lower-level plus CG iterations. With {@code adaptive = false},
 * {@code ε} and {@code δ} never change (the fixed-accuracy variant). Accuracies never go below
 * {@link #EPSILON_FLOOR}; the run stops once {@code ‖z‖ ≤} {@link #STATIONARY}.
 */
public final class Maid {

    /** Settings; see the class description. */
    public record Settings(double epsilon0, double delta0, double eta, double rho, double tau, double nu, double beta0,
                           int attempts, int maxBacktracks, boolean adaptive) {
        public Settings {
            if (!(epsilon0 > 0) || !(delta0 > 0) || !(beta0 > 0)) {
                throw new IllegalArgumentException("ε₀, δ₀ and β₀ must be positive, got " + epsilon0 + ", " + delta0 + ", " + beta0 + ".");
            }
            if (!(eta > 0 && eta < 1) || !(rho > 0 && rho < 1) || !(tau > 0 && tau < 1) || !(nu >= 1)) {
                throw new IllegalArgumentException("Need η, ρ, τ in (0, 1) and ν ≥ 1, got η = " + eta + ", ρ = " + rho + ", τ = " + tau + ", ν = " + nu + ".");
            }
            if (attempts < 1 || maxBacktracks < 1) {
                throw new IllegalArgumentException("attempts and maxBacktracks must be at least 1.");
            }
        }

        public static Settings defaults() {
            return new Settings(0.1, 0.1, 1e-4, 0.9, 0.5, 1.05, 0.1, 3, 30, true);
        }

        public Settings withAccuracy(double epsilon, double delta) {
            return new Settings(epsilon, delta, eta, rho, tau, nu, beta0, attempts, maxBacktracks, adaptive);
        }

        public Settings withStep(double beta) {
            return new Settings(epsilon0, delta0, eta, rho, tau, nu, beta, attempts, maxBacktracks, adaptive);
        }

        public Settings fixedAccuracy() {
            return new Settings(epsilon0, delta0, eta, rho, tau, nu, beta0, attempts, maxBacktracks, false);
        }
    }

    /** One iteration's log line. */
    public record Iteration(int iteration, double epsilon, double delta, double step, double upperValue, long cost, boolean accepted) {
    }

    /** The smallest accuracy MAID asks of the lower level (float64 round-off limits what solvers reach). */
    public static final double EPSILON_FLOOR = 1e-10;
    /** MAID stops when the hypergradient estimate is this small: λ is stationary to working precision. */
    public static final double STATIONARY = 1e-9;

    private final InexactProblem problem;
    private final InexactHypergradient hypergradient;
    private final Settings settings;
    private final List<Iteration> log = new ArrayList<>();
    private double epsilon;
    private double delta;
    private double beta;
    private long cost;

    public Maid(InexactProblem problem, LowerLevelSolver solver, Settings settings) {
        this.problem = Objects.requireNonNull(problem, "problem");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.hypergradient = new InexactHypergradient(problem, solver, 20_000);
        this.epsilon = settings.epsilon0();
        this.delta = settings.delta0();
        this.beta = settings.beta0();
    }

    /** Runs until {@code iterations} iterations or a total cost of {@code maxCost}; returns the log. */
    public List<Iteration> run(int iterations, long maxCost) {
        return run(iterations, maxCost, iteration -> { });
    }

    /**
     * Runs until {@code iterations} iterations or a total cost of {@code maxCost}, handing each log line to
     * {@code observer} as soon as the iteration ends (λ then holds the iteration's result); returns the log.
     * The observer may read the problem's arrays but must leave them as it found them.
     */
    public List<Iteration> run(int iterations, long maxCost, Consumer<Iteration> observer) {
        Objects.requireNonNull(observer, "observer");
        ParamVector lambda = problem.lower().hyperparameters();
        for (int k = 0; k < iterations && cost < maxCost; k++) {
            boolean accepted = false;
            double step = 0;
            double value = Double.NaN;
            for (int attempt = 0; attempt < settings.attempts() && !accepted; attempt++) {
                InexactHypergradient.Estimate est = estimate();
                double lf = problem.constants().upperGradientLipschitz();
                double zNorm = est.z().norm2();
                value = est.upperValue();
                if (zNorm <= STATIONARY) {
                    record(new Iteration(log.size() + 1, epsilon, delta, 0, value, cost, false), observer);
                    return List.copyOf(log);
                }
                double lowerBoundOld = est.upperValue() - est.upperGradientNorm() * epsilon - lf * epsilon * epsilon / 2;
                ParamVector lambdaOld = lambda.dup();
                ParamVector weightsOld = problem.lower().weights().dup();
                double alpha = beta;
                for (int b = 0; b < settings.maxBacktracks(); b++) {
                    lambda.assignInPlace(lambdaOld).axpyInPlace(-alpha, est.z());
                    InexactHypergradient.Estimate trial = hypergradient.compute(epsilon, delta);
                    cost += trial.lowerIterations() + trial.cgIterations();
                    double upperBoundNew = trial.upperValue() + trial.upperGradientNorm() * epsilon + lf * epsilon * epsilon / 2;
                    if (upperBoundNew <= lowerBoundOld - alpha * settings.eta() * zNorm * zNorm) {
                        accepted = true;
                        step = alpha;
                        value = trial.upperValue();
                        break;
                    }
                    alpha *= settings.rho();
                }
                if (accepted) {
                    if (settings.adaptive()) {
                        epsilon *= settings.nu();
                        delta *= settings.nu();
                    }
                    beta = step / settings.rho();
                } else {
                    lambda.assignInPlace(lambdaOld);
                    problem.lower().weights().assignInPlace(weightsOld);
                    if (!settings.adaptive()) {
                        break;
                    }
                    if (epsilon <= EPSILON_FLOOR) {
                        // No certified decrease is possible at the finest accuracy: λ is optimal to working precision.
                        record(new Iteration(log.size() + 1, epsilon, delta, 0, value, cost, false), observer);
                        return List.copyOf(log);
                    }
                    epsilon = Math.max(EPSILON_FLOOR, epsilon * settings.tau());
                    delta = Math.max(EPSILON_FLOOR, delta * settings.tau());
                }
            }
            record(new Iteration(log.size() + 1, epsilon, delta, step, value, cost, accepted), observer);
        }
        return List.copyOf(log);
    }

    private void record(Iteration iteration, Consumer<Iteration> observer) {
        log.add(iteration);
        observer.accept(iteration);
    }

    /** An estimate whose error bound is below {@code (1 − η)‖z‖}, shrinking the accuracies as needed (adaptive only). */
    private InexactHypergradient.Estimate estimate() {
        while (true) {
            InexactHypergradient.Estimate est = hypergradient.compute(epsilon, delta);
            cost += est.lowerIterations() + est.cgIterations();
            if (!settings.adaptive() || est.bound() <= (1 - settings.eta()) * est.z().norm2() || epsilon <= EPSILON_FLOOR) {
                return est;
            }
            epsilon = Math.max(EPSILON_FLOOR, epsilon * settings.tau());
            delta = Math.max(EPSILON_FLOOR, delta * settings.tau());
        }
    }

    /** Lower-level plus CG iterations so far. */
    public long cost() {
        return cost;
    }

    public double epsilon() {
        return epsilon;
    }

    public double delta() {
        return delta;
    }
}
