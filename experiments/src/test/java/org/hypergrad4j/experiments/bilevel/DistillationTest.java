package org.hypergrad4j.experiments.bilevel;

import org.hypergrad4j.data.Splits;

import org.hypergrad4j.data.Split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.DistilledData;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.junit.jupiter.api.Test;

/**
 * Dataset distillation on digits (Lorraine et al. 2020, experiment (b)): 10 learned images, one per class,
 * started at zero and tuned on 100 validation examples, train a logistic regression to a test accuracy well
 * above that from 10 real images (the first training image of each class) under the same decay and updates.
 */
class DistillationTest {

    @Test
    void tenLearnedImagesBeatTenRealImages() {
        Split parts = Splits.standardised(BundledDatasets.digits(), 0.5, 100.0 / 1797, 0.4, 13);
        assertEquals(100, parts.validation().numExamples(), 3);
        var distilled = Hpo.on(parts.train(), parts.validation()).test(parts.test())
                .tune(DistilledData.onePerClass()).tune(WeightDecay.global(-3))
                .innerOptimizer(new Sgd(0.3, 0.9, false)).outerOptimizer(new Adam(0.1))
                .hyperSteps(40).innerSteps(40).run();

        int[] labels = parts.train().labels();
        int[] firstOfEachClass = new int[10];
        java.util.Arrays.fill(firstOfEachClass, -1);
        for (int i = 0; i < labels.length; i++) {
            if (firstOfEachClass[labels[i]] < 0) {
                firstOfEachClass[labels[i]] = i;
            }
        }
        Dataset tenReal = parts.train().subset(firstOfEachClass).withName("ten real images");
        BilevelProblem real = Hpo.on(tenReal, parts.validation()).test(parts.test()).tune(WeightDecay.global(-3)).build();
        real.trainWeights(new Sgd(0.3, 0.9, false), 1600);
        double realTest = real.evaluate(BilevelProblem.Part.TEST).accuracy();
        System.out.printf("distillation: test accuracy from 10 learned images %.4f vs 10 real images %.4f%n", distilled.test().accuracy(), realTest);
        assertTrue(distilled.test().accuracy() > realTest + 0.05,
                "learned " + distilled.test().accuracy() + " vs real " + realTest);
    }
}
