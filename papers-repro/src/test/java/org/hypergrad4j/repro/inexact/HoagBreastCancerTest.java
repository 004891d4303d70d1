package org.hypergrad4j.repro.inexact;

import org.hypergrad4j.data.Split;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.inexact.Hoag;
import org.hypergrad4j.bilevel.inexact.InexactProblem;
import org.hypergrad4j.bilevel.inexact.LbfgsSolver;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.data.Splits;
import org.hypergrad4j.data.Standardizer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * HOAG (Pedregosa 2016) on L2-regularised logistic regression on breast cancer (one global {@code exp(λ)}):
 * with 10% of the data for training and 45% for validation (so regularisation matters) it lands within 0.5
 * in log λ of the best value of a fine grid (λ from −6 to 6 in steps of 0.25, each point
 * solved by the same L-BFGS to the same relative tolerance), using fewer lower-level plus CG iterations than
 * the grid's lower-level iterations alone.
 */
class HoagBreastCancerTest {
    private static final double RELATIVE_TOLERANCE = 1e-6;

    private static BilevelProblem problem(Dataset train, Dataset val, double lambda) {
        return Hpo.on(train, val).tune(WeightDecay.global(lambda)).dataType(DataType.DOUBLE).build();
    }

    @Test
    void hoagFindsTheGridOptimumWithFewerIterations() {
        Split split = Splits.stratified(BundledDatasets.breastCancer(), 0.1, 0.45, 0.45, 2);
        Standardizer st = Standardizer.fit(split.train());
        Dataset train = st.apply(split.train());
        Dataset val = st.apply(split.validation());

        long gridCost = 0;
        double bestLambda = Double.NaN;
        double bestValue = Double.POSITIVE_INFINITY;
        for (double lambda = -6; lambda <= 6 + 1e-9; lambda += 0.25) {
            BilevelProblem p = problem(train, val, lambda);
            var feed = p.fullTrainingFeed();
            double g0 = p.training().lossAndGradient(feed).weightGradient().norm2();
            gridCost += new LbfgsSolver(10).solve(p.training(), feed, RELATIVE_TOLERANCE * g0, 10_000);
            double value = p.validation().loss(p.validationFeed());
            if (value < bestValue) {
                bestValue = value;
                bestLambda = lambda;
            }
        }

        BilevelProblem p = problem(train, val, 0.0);
        InexactProblem inexact = new InexactProblem(p.training(), p.fullTrainingFeed(), p.validation(), p.validationFeed(),
                new InexactProblem.Constants(1e-3, 10, 1, 1, 1, 1, 1));
        Hoag hoag = new Hoag(inexact, new LbfgsSolver(10), Hoag.Schedule.GEOMETRIC, 1e-3);
        List<Hoag.Iteration> log = hoag.run(40, Long.MAX_VALUE);
        double hoagLambda = p.hyperparameters().get("decay").getDouble(0);
        System.out.printf("HOAG: log λ %.3f after %d iterations, cost %d; grid: best log λ %.2f (validation loss %.5f), cost %d%n",
                hoagLambda, log.size(), hoag.cost(), bestLambda, bestValue, gridCost);
        assertTrue(Math.abs(hoagLambda - bestLambda) <= 0.5, "HOAG λ " + hoagLambda + " vs grid " + bestLambda);
        assertTrue(hoag.cost() < gridCost, "HOAG cost " + hoag.cost() + " vs grid " + gridCost);
    }
}
