package org.hypergrad4j.hypergrad;

import org.hypergrad4j.solvers.ConjugateGradient;
import org.hypergrad4j.solvers.DenseSolve;
import org.hypergrad4j.solvers.FixedPointIteration;
import org.hypergrad4j.solvers.IdentitySolve;
import org.hypergrad4j.solvers.NeumannSeries;
import org.hypergrad4j.testing.BilevelFixtures.Fixture;
import org.junit.jupiter.api.Nested;

/** One subclass of the contract per method, with its stated tolerance. */
class MethodContractTests {

    /** Step α = 1/λ_max(H): the Neumann terms then shrink by at least the factor 1 − λ_min/λ_max. */
    static double step(Fixture f) {
        return 1.0 / f.maxHessianEigenvalue();
    }

    @Nested
    class ExactDenseSolve extends HypergradientMethodContract {
        protected HypergradientMethod method(Fixture f) { return new ImplicitHypergradient(new DenseSolve()); }
        protected double relativeTolerance() { return 1e-6; }
        protected double cosineBound() { return 0.999999; }
    }

    @Nested
    class ConjugateGradientToConvergence extends HypergradientMethodContract {
        protected HypergradientMethod method(Fixture f) { return new ImplicitHypergradient(new ConjugateGradient(100, 1e-12)); }
        protected double relativeTolerance() { return 1e-6; }
        protected double cosineBound() { return 0.999999; }
    }

    @Nested
    class FixedPointToConvergence extends HypergradientMethodContract {
        protected HypergradientMethod method(Fixture f) { return new ImplicitHypergradient(new FixedPointIteration(step(f), 20_000, 1e-11)); }
        protected double relativeTolerance() { return 1e-6; }
        protected double cosineBound() { return 0.999999; }
    }

    /** 300 Neumann terms: the truncation error (1 − λ_min/λ_max)^300 is negligible for these conditionings. */
    @Nested
    class NeumannManyTerms extends HypergradientMethodContract {
        protected HypergradientMethod method(Fixture f) { return new ImplicitHypergradient(new NeumannSeries(step(f), 300, false)); }
        protected double relativeTolerance() { return 1e-4; }
        protected double cosineBound() { return 0.9999; }
    }

    @Nested
    class NeumannTwentyTerms extends HypergradientMethodContract {
        protected HypergradientMethod method(Fixture f) { return new ImplicitHypergradient(new NeumannSeries(step(f), 20)); }
        protected double relativeTolerance() { return Double.NaN; }
        protected double cosineBound() { return 0.95; }
    }

    @Nested
    class IdentityApproximation extends HypergradientMethodContract {
        protected HypergradientMethod method(Fixture f) { return new ImplicitHypergradient(new IdentitySolve(step(f))); }
        protected double relativeTolerance() { return Double.NaN; }
        protected double cosineBound() { return 0.3; }
    }

    /**
     * Plain SGD with α = 1/λ_max started at the optimum stays there; reversing K of its steps gives
     * −α Σ_{k<K} M (I − αH)^k ∂L_V/∂w, the Neumann series with K − 1 terms: 300 steps reach the exact value.
     */
    @Nested
    class TruncatedReverseFromOptimum extends HypergradientMethodContract {
        protected HypergradientMethod method(Fixture f) {
            return ReverseUnrolledHypergradient.truncated(SgdSchedule.constant(400, step(f), 0.0), StepFeeds.constant(f.trainingFeed()), 300);
        }
        protected double relativeTolerance() { return 1e-4; }
        protected double cosineBound() { return 0.9999; }
    }
}
