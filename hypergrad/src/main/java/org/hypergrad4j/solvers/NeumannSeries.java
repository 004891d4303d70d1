package org.hypergrad4j.solvers;

import org.hypergrad4j.core.ParamVector;

/**
 * Neumann-series approximation of {@code A⁻¹ b} (Lorraine et al. 2020):
 * {@code A⁻¹ b ≈ α Σ_{j=0}^{i} (I − αA)^j b}, computed as
 * {@code p = b, c = b; repeat i times { c ← c − αAc; p ← p + c }; return αp}. Converges when the spectral
 * radius of {@code I − αA} is below 1, i.e. {@code 0 < α < 2/λ_max(A)} for positive-definite {@code A}.
 * With {@code terms = 0} it is the identity approximation {@code αb}.
 *
 * <p>Stops early when terms stop shrinking ({@code ‖c_new‖/‖c_old‖ > 0.9999}, the authors' rule), and,
 * by default, when a term grows by more than {@link #DIVERGENCE_RATIO}: it then returns the partial sum
 * of the terms before the growing one and says so in {@link SolveResult#diagnosis()} (with
 * {@code converged = false}). A few growing terms are normal in joint training of non-convex networks,
 * where {@code H} is indefinite away from a minimum. {@link #throwingOnGrowth()} raises
 * {@link SolverDivergedException}, naming the remedy (a smaller α), instead. A non-finite term always
 * raises it.
 */
public final class NeumannSeries implements LinearSolver {
    /** Growth of consecutive terms above which the series is declared divergent. */
    public static final double DIVERGENCE_RATIO = 1.0 + 1e-6;
    private static final double STALL_RATIO = 0.9999;

    private final double alpha;
    private final int terms;
    private final boolean stopWhenStalling;
    private final boolean throwOnGrowth;

    /**
     * @param alpha the step (usually the inner learning rate), positive
     * @param terms the number of series terms after the first, at least 0
     */
    public NeumannSeries(double alpha, int terms, boolean stopWhenStalling) {
        this(alpha, terms, stopWhenStalling, false);
    }

    private NeumannSeries(double alpha, int terms, boolean stopWhenStalling, boolean throwOnGrowth) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("Neumann step alpha must be positive and finite, got " + alpha + ".");
        }
        if (terms < 0) {
            throw new IllegalArgumentException("Neumann terms must be at least 0, got " + terms + ".");
        }
        this.alpha = alpha;
        this.terms = terms;
        this.stopWhenStalling = stopWhenStalling;
        this.throwOnGrowth = throwOnGrowth;
    }

    /** The same series, raising {@link SolverDivergedException} when a term grows instead of stopping. */
    public NeumannSeries throwingOnGrowth() {
        return new NeumannSeries(alpha, terms, stopWhenStalling, true);
    }

    public NeumannSeries(double alpha, int terms) {
        this(alpha, terms, true);
    }

    @Override
    public SolveResult solve(LinearOperator a, ParamVector b, ParamVector initialGuess) {
        ParamVector p = b.dup();
        ParamVector c = b.dup();
        double previous = c.norm2();
        int done = 0;
        String why = "used all " + terms + " terms";
        for (int j = 0; j < terms; j++) {
            c.axpyInPlace(-alpha, a.apply(c));
            done++;
            double norm = c.norm2();
            if (!Double.isFinite(norm)) {
                throw new SolverDivergedException(divergence(j + 1, Double.POSITIVE_INFINITY));
            }
            double ratio = previous == 0 ? 0 : norm / previous;
            if (ratio > DIVERGENCE_RATIO) {
                if (throwOnGrowth) {
                    throw new SolverDivergedException(divergence(j + 1, ratio));
                }
                String grew = String.format("term %d grew by a factor %.4g (spectral radius of I − αA at least 1 along it);"
                        + " stopped with the partial sum of the %d terms before it", j + 1, ratio, j + 1);
                return new SolveResult(p.scaleInPlace(alpha), done, done, Double.NaN, false, grew);
            }
            p.axpyInPlace(1.0, c);
            previous = norm;
            if (norm == 0) {
                why = "terms vanished after " + done;
                break;
            }
            if (stopWhenStalling && ratio > STALL_RATIO) {
                why = String.format("terms stopped shrinking (ratio %.6f) after %d of %d", ratio, done, terms);
                break;
            }
        }
        return new SolveResult(p.scaleInPlace(alpha), done, done, Double.NaN, true, why);
    }

    private String divergence(int term, double ratio) {
        return String.format("The Neumann series diverges: term %d grew by a factor %.4g, so the spectral radius of I − αA"
                + " is at least 1 for α = %.3g. Use a smaller α (below 2/λ_max(A), e.g. the inner learning rate of a stable"
                + " training run) or conjugate gradient.", term, ratio, alpha);
    }

    @Override
    public String describe() {
        return "Neumann(alpha=" + alpha + ", terms=" + terms + (throwOnGrowth ? ", throwing on growth" : "") + ")";
    }
}
