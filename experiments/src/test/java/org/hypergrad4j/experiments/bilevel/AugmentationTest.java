package org.hypergrad4j.experiments.bilevel;

import org.hypergrad4j.data.Splits;

import org.hypergrad4j.data.Split;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.AugmentationNetwork;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.junit.jupiter.api.Test;

/**
 * A learned augmentation network (Lorraine et al. 2020, experiment (c)) on a small training subset of
 * digits (100 images): tuning the network's weights together with a global decay reaches a lower
 * validation loss than tuning the decay alone, with the same updates. Numbers in docs/REPRODUCTIONS.md.
 */
class AugmentationTest {

    @Test
    void learnedAugmentationLowersValidationLoss() {
        Split parts = Splits.standardised(BundledDatasets.digits(), 100.0 / 1797, 300.0 / 1797, 0.5, 17);
        var augmented = Hpo.on(parts.train(), parts.validation()).test(parts.test())
                .tune(WeightDecay.global(-4)).tune(new AugmentationNetwork(32, 1.0, 3))
                .innerOptimizer(new Sgd(0.3, 0.9, false)).outerOptimizer(new Adam(0.02))
                .hyperSteps(30).innerSteps(40).run();
        var plain = Hpo.on(parts.train(), parts.validation()).test(parts.test())
                .tune(WeightDecay.global(-4))
                .innerOptimizer(new Sgd(0.3, 0.9, false)).outerOptimizer(new Adam(0.02))
                .hyperSteps(30).innerSteps(40).run();
        System.out.printf("augmentation: validation loss %.4f (test accuracy %.4f) vs no augmentation %.4f (test accuracy %.4f)%n",
                augmented.validation().loss(), augmented.test().accuracy(), plain.validation().loss(), plain.test().accuracy());
        assertTrue(augmented.validation().loss() < plain.validation().loss(),
                "augmented " + augmented.validation().loss() + " vs plain " + plain.validation().loss());
    }
}
