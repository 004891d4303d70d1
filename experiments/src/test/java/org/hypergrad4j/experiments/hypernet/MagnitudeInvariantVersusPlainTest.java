package org.hypergrad4j.experiments.hypernet;

import org.hypergrad4j.data.Split;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.hypernets.hypernet.HypernetArchitecture;
import org.hypergrad4j.hypernets.hypernet.HyperparameterRange;
import org.junit.jupiter.api.Test;

/**
 * Ortiz et al. (2024), at reduced scale on digits (stratified 50/25/25, seed 21): with the same optimiser
 * (Adam 3e-3, minibatches of 100, 2 draws λ ~ U[−10, −4] per minibatch) and the same hypernetwork body
 * (MLP, 32 tanh units), the magnitude-invariant parametrisation reaches a target training objective in
 * fewer updates than the plain hypernetwork, in each of 3 seeds.
 *
 * <p>Training objective: {@code (1/5) Σ_λ L_T(w_φ(λ), λ)} on the whole training set at λ ∈ {−10, −8.5, −7, −5.5, −4},
 * evaluated every 10 updates. Target: the same average for the classifiers trained to convergence at those λ
 * (the best any hypernetwork can do), plus 0.05 nats. Runs stop at the target or after 250 updates; a run that
 * does not reach it counts as more than 250. The ablations (encoding only, residual only) run alongside.
 */
class MagnitudeInvariantVersusPlainTest {
    private static final int MAX_STEPS = 250;
    private static final int EVALUATE_EVERY = 10;
    private static final HyperparameterRange RANGE = GlobalHypernetVersusGridTest.RANGE;
    private static final HypernetArchitecture PLAIN = HypernetArchitecture.mlp(Mlp.Activation.TANH, 32);

    private record Setup(Split parts, double[] evaluation, double target) {
    }

    private static Setup setup() {
        Split parts = HypernetDigitsRuns.digits(21);
        double[] evaluation = RANGE.grid(5);
        double bestPossible = HypernetDigitsRuns.gridSearch(parts, evaluation, 1e-6, 5000).stream()
                .mapToDouble(HypernetDigitsRuns.GridPoint::trainingObjective).average().orElseThrow();
        System.out.printf("target training objective %.4f (best-response average %.4f + 0.05)%n", bestPossible + 0.05, bestPossible);
        return new Setup(parts, evaluation, bestPossible + 0.05);
    }

    /** Steps to the target for each variant (Integer.MAX_VALUE when not reached), printed as one line. */
    private static int[] stepsToTarget(Setup s, long seed, List<HypernetArchitecture> variants) {
        int[] steps = new int[variants.size()];
        StringBuilder line = new StringBuilder("seed " + seed + ":");
        for (int v = 0; v < variants.size(); v++) {
            HypernetDigitsRuns.StepsToTarget r = HypernetDigitsRuns.stepsToTarget(s.parts(), variants.get(v), RANGE, 3e-3, 100, seed,
                    s.evaluation(), s.target(), MAX_STEPS, EVALUATE_EVERY);
            steps[v] = r.steps() < 0 ? Integer.MAX_VALUE : r.steps();
            line.append(String.format(" %s: %s (objective %.4f at start, %.4f at end);", variants.get(v).describe(),
                    r.steps() < 0 ? "> " + MAX_STEPS : Integer.toString(r.steps()), r.evaluations()[0], r.finalObjective()));
        }
        System.out.println(line);
        return steps;
    }

    /**
     * MIP, and its input encoding alone, reach the target in fewer steps than the plain hypernetwork in every
     * seed. The residual alone is run and printed too (the ablation of the docs); here it does not reach the
     * target within the budget, which is reported, not asserted.
     */
    @Test
    void mipReachesTheTargetTrainingLossInFewerSteps() {
        Setup s = setup();
        for (long seed = 1; seed <= 3; seed++) {
            int[] steps = stepsToTarget(s, seed, List.of(PLAIN, PLAIN.withMagnitudeInvariance(), PLAIN.withEncodingOnly(), PLAIN.withResidualOnly()));
            assertTrue(steps[1] < steps[0], "seed " + seed + ": MIP needed " + steps[1] + " steps, plain " + steps[0]);
            assertTrue(steps[2] < steps[0], "seed " + seed + ": encoding only needed " + steps[2] + " steps, plain " + steps[0]);
        }
    }
}
