package org.hypergrad4j.experiments.bilevel;

import org.hypergrad4j.data.Splits;

import org.hypergrad4j.data.Split;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.ExampleWeights;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Data hyper-cleaning (Franceschi et al. 2017) on digits: 30% of the training labels are flipped to another
 * class; one weight in (0, 1) per training example is tuned on a clean validation set. The learned weights
 * must flag the flipped examples (area under the ROC curve ≥ 0.8) and the cleaned model must beat plain
 * training on the noisy set in test accuracy, with the same number of weight updates.
 */
class HyperCleaningTest {
    private static final int HYPER_STEPS = 40;
    private static final int INNER_STEPS = 50;

    @Test
    void learnedWeightsFlagFlippedLabelsAndImproveTestAccuracy() {
        Split parts = Splits.standardised(BundledDatasets.digits(), 0.4, 0.2, 0.4, 11);
        Dataset clean = parts.train();
        int[] labels = clean.labels();
        boolean[] flipped = new boolean[labels.length];
        Random rnd = new Random(5);
        for (int i = 0; i < labels.length; i++) {
            if (rnd.nextDouble() < 0.3) {
                flipped[i] = true;
                labels[i] = (labels[i] + 1 + rnd.nextInt(clean.numClasses() - 1)) % clean.numClasses();
            }
        }
        Dataset noisy = clean.withLabels(labels);

        var cleaned = Hpo.on(noisy, parts.validation()).test(parts.test())
                .tune(ExampleWeights.inUnitInterval(0.5)).tune(WeightDecay.global(-4))
                .innerOptimizer(new Sgd(0.3, 0.9, false)).outerOptimizer(new Adam(0.1))
                .hyperSteps(HYPER_STEPS).innerSteps(INNER_STEPS).run();
        // Plain training on the noisy labels: the same problem and weight updates, hyperparameters never moved.
        BilevelProblem plain = Hpo.on(noisy, parts.validation()).test(parts.test())
                .tune(ExampleWeights.inUnitInterval(0.5)).tune(WeightDecay.global(-4)).build();
        plain.trainWeights(new Sgd(0.3, 0.9, false), HYPER_STEPS * INNER_STEPS);
        double plainTest = plain.evaluate(BilevelProblem.Part.TEST).accuracy();

        INDArray raw = cleaned.problem().hyperparameters().get("example_weights");
        double auc = aucOfLowWeight(raw, flipped);
        System.out.printf("hyper-cleaning: AUC %.4f, test accuracy cleaned %.4f vs plain %.4f%n", auc, cleaned.test().accuracy(), plainTest);
        assertTrue(auc >= 0.8, "AUC of flagging flipped labels by low weight: " + auc);
        assertTrue(cleaned.test().accuracy() > plainTest, "test accuracy, cleaned " + cleaned.test().accuracy() + " vs plain " + plainTest);
    }

    /** P(weight of a flipped example < weight of a clean one), ties counting one half (Mann–Whitney). */
    static double aucOfLowWeight(INDArray raw, boolean[] flipped) {
        double pairs = 0;
        double wins = 0;
        for (int i = 0; i < flipped.length; i++) {
            if (!flipped[i]) {
                continue;
            }
            for (int j = 0; j < flipped.length; j++) {
                if (flipped[j]) {
                    continue;
                }
                double a = raw.getDouble(i, 0);
                double b = raw.getDouble(j, 0);
                wins += a < b ? 1 : a == b ? 0.5 : 0;
                pairs++;
            }
        }
        return wins / pairs;
    }
}
