package org.hypergrad4j.repro.inexact;

import org.hypergrad4j.data.Split;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.hypergrad4j.bilevel.inexact.Hoag;
import org.hypergrad4j.bilevel.inexact.LbfgsSolver;
import org.hypergrad4j.bilevel.inexact.Maid;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.Splits;
import org.hypergrad4j.data.Standardizer;
import org.junit.jupiter.api.Test;

/**
 * MAID against HOAG (geometric schedule) on multinomial logistic regression with one {@code exp(θ)} L2 regulariser
 * per weight ({@link PerWeightDecayLogisticBilevel}: 64 × 10 = 640 weights and 640 hyperparameters). Digits,
 * stratified 10% training (179) / 40% validation (722) / 50% test (896), seed 7, standardised on the training
 * part; θ₀ = −3 everywhere, weights from 0; L-BFGS (memory 10) lower-level solver for both methods. HOAG runs 40
 * iterations from ε₀ = 1e-3 (cost {@code C_H}). Checks: MAID with the authors' defaults (ε₀ = δ₀ = 0.1,
 * β₀ = 0.1) reaches HOAG's final upper-level value {@code F = f(W*(θ))} at a lower cost than {@code C_H}; and
 * with a budget of {@code 2 C_H} MAID's final {@code F} varies by under 5% over ε₀ = δ₀ ∈ {1e-1, 1e-3} and
 * β₀ ∈ {1e-2, 1e-1}. {@code F} is always evaluated at a lower-level solve to {@code ‖∇_W g‖ ≤ 1e-8} that is not
 * counted in any cost.
 */
class MaidDigitsTest {
    private static final double INITIAL_THETA = -3;
    private static final double EXACT = 1e-8;

    private record Data(Dataset train, Dataset validation, Dataset test) {
    }

    private static Data data() {
        Split split = Splits.stratified(BundledDatasets.digits(), 0.1, 0.4, 0.5, 7);
        Standardizer st = Standardizer.fit(split.train());
        return new Data(st.apply(split.train()), st.apply(split.validation()), st.apply(split.test()));
    }

    /** Test accuracy at the lower-level solution for the problem's current θ (the weights are put back). */
    private static double testAccuracy(PerWeightDecayLogisticBilevel p, Dataset test) {
        var saved = p.weights().dup();
        p.solveLowerLevel(EXACT);
        double accuracy = p.accuracy(test);
        p.weights().assign(saved);
        return accuracy;
    }

    @Test
    void maidReachesHoagsLossForLessAndIgnoresItsStartingAccuracyAndStep() {
        Data d = data();
        PerWeightDecayLogisticBilevel initial = new PerWeightDecayLogisticBilevel(d.train(), d.validation(), INITIAL_THETA);
        double initialValue = initial.upperValueAtSolution(EXACT);
        double initialAccuracy = testAccuracy(initial, d.test());

        PerWeightDecayLogisticBilevel hoagProblem = new PerWeightDecayLogisticBilevel(d.train(), d.validation(), INITIAL_THETA);
        Hoag hoag = new Hoag(hoagProblem.problem(), new LbfgsSolver(10), Hoag.Schedule.GEOMETRIC, 1e-3);
        hoag.run(40, Long.MAX_VALUE);
        long hoagCost = hoag.cost();
        double hoagValue = hoagProblem.upperValueAtSolution(EXACT);
        double hoagAccuracy = testAccuracy(hoagProblem, d.test());
        System.out.printf("digits %d/%d/%d, 640 hyperparameters; theta0: F %.5f, test accuracy %.4f%n", d.train().numExamples(),
                d.validation().numExamples(), d.test().numExamples(), initialValue, initialAccuracy);
        System.out.printf("HOAG (geometric, eps0 1e-3, 40 iterations): F %.5f, cost %d, test accuracy %.4f%n", hoagValue, hoagCost, hoagAccuracy);

        long budget = 2 * hoagCost;
        PerWeightDecayLogisticBilevel maidProblem = new PerWeightDecayLogisticBilevel(d.train(), d.validation(), INITIAL_THETA);
        Maid maid = new Maid(maidProblem.problem(), new LbfgsSolver(10), Maid.Settings.defaults());
        // Traced (F after every iteration) up to HOAG's cost, then continued untraced to the budget.
        CostTrace trace = CostTrace.of(maid, maidProblem.problem(), 10_000, hoagCost, () -> maidProblem.upperValueAtSolution(EXACT));
        OptionalLong reach = trace.costToReach(hoagValue);
        CostTrace.Point atHoagCost = trace.at(hoagCost);
        double accuracyAtHoagCost = testAccuracy(maidProblem, d.test());
        int iterations = maid.run(10_000, budget).size();
        double maidValue = maidProblem.upperValueAtSolution(EXACT);
        System.out.printf("MAID (defaults): reaches HOAG's F at cost %s; last iterate within cost %d: F %.5f; at cost %d: test accuracy %.4f; "
                + "final F %.5f at cost %d after %d iterations, test accuracy %.4f%n", reach, hoagCost, atHoagCost.upperValue(),
                trace.last().cost(), accuracyAtHoagCost, maidValue, maid.cost(), iterations, testAccuracy(maidProblem, d.test()));
        assertTrue(hoagValue < initialValue, "HOAG must improve on θ₀: " + hoagValue + " vs " + initialValue);
        assertTrue(reach.isPresent() && reach.getAsLong() < hoagCost,
                "MAID reaches HOAG's final F = " + hoagValue + " at cost " + reach + " vs HOAG's " + hoagCost);

        double lowest = maidValue;
        double highest = lowest;
        for (double accuracy : new double[] {1e-1, 1e-3}) {
            for (double step : new double[] {1e-2, 1e-1}) {
                if (accuracy == 1e-1 && step == 1e-1) {
                    continue; // the run above
                }
                PerWeightDecayLogisticBilevel p = new PerWeightDecayLogisticBilevel(d.train(), d.validation(), INITIAL_THETA);
                Maid run = new Maid(p.problem(), new LbfgsSolver(10), Maid.Settings.defaults().withAccuracy(accuracy, accuracy).withStep(step));
                run.run(10_000, budget);
                double value = p.upperValueAtSolution(EXACT);
                System.out.printf("MAID eps0 = delta0 = %.0e, beta0 = %.0e: final F %.5f at cost %d%n", accuracy, step, value, run.cost());
                lowest = Math.min(lowest, value);
                highest = Math.max(highest, value);
            }
        }
        System.out.printf("MAID final F over eps0 x beta0: %.5f to %.5f (spread %.2f%%)%n", lowest, highest, 100 * (highest - lowest) / lowest);
        assertTrue(highest < hoagValue, "every MAID run ends below HOAG's F = " + hoagValue + ", worst " + highest);
        assertTrue((highest - lowest) / lowest < 0.05, "MAID's final F over ε₀ × β₀ spans " + lowest + " to " + highest);
    }
}
