package org.hypergrad4j.hypergrad;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hypergrad4j.testing.BilevelFixtures;
import org.hypergrad4j.testing.BilevelFixtures.Fixture;
import org.junit.jupiter.api.Test;

/**
 * The contract every hypergradient method must meet (one suite, a subclass per method): at the inner
 * optimum of ridge regression with a per-feature λ (closed form) and of L2-regularised logistic
 * regression (independent Newton and dense solve), the method's hypergradient agrees with the exact
 * value within the method's stated tolerance. Float64 throughout.
 */
abstract class HypergradientMethodContract {

    /** The method under test, configured for this fixture (e.g. a step from the Hessian's largest eigenvalue). */
    protected abstract HypergradientMethod method(Fixture fixture);

    /** Relative error bound {@code ‖h − h*‖/‖h*‖}, or {@code NaN} to check only the cosine. */
    protected abstract double relativeTolerance();

    /** Lower bound on {@code cos(h, h*)}. */
    protected abstract double cosineBound();

    @Test
    void agreesWithClosedFormOnRidgeRegression() {
        check(BilevelFixtures.ridge(1, 40, 30, 6));
    }

    @Test
    void agreesWithDenseSolveOnLogisticRegression() {
        check(BilevelFixtures.logistic(2, 60, 40, 5));
    }

    private void check(Fixture f) {
        f.moveToOptimum();
        HypergradientResult r = method(f).compute(f.problem());
        double[] h = r.hypergradient().toDoubleArray();
        double cos = HypergradientCheck.cosine(h, f.exactHypergradient());
        double rel = HypergradientCheck.relativeError(h, f.exactHypergradient());
        String what = r.method() + " on " + f.loss() + ": cos " + cos + ", relative error " + rel;
        assertTrue(cos >= cosineBound(), what + " (cosine bound " + cosineBound() + ")");
        if (!Double.isNaN(relativeTolerance())) {
            assertTrue(rel <= relativeTolerance(), what + " (tolerance " + relativeTolerance() + ")");
        }
    }
}
