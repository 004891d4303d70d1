package org.hypergrad4j.experiments.bilevel;

import org.hypergrad4j.data.Splits;

import org.hypergrad4j.data.Split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.train.TrainingListener;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.solvers.IdentitySolve;
import org.junit.jupiter.api.Test;

/**
 * Lorraine et al. (2020), experiment (a): with 50 training and 50 validation examples, per-weight decay
 * (started at λ = −4) tuned with the identity approximation of the inverse Hessian fits the validation set:
 * validation accuracy reaches 100% while test accuracy stays clearly below. Digits, MLP 64-50-10 (tanh),
 * inner SGD with momentum (the paper uses Adam on a larger network), outer Adam.
 */
class OverfitValidationSetTest {

    @Test
    void validationAccuracyReachesOneHundredPercentWhileTestAccuracyStaysBelow() {
        Split parts = Splits.standardised(BundledDatasets.digits(), 50.0 / 1797, 50.0 / 1797, 0.5, 3);
        assertEquals(50, parts.train().numExamples());
        assertEquals(50, parts.validation().numExamples());
        List<Double> validationAccuracy = new ArrayList<>();
        var result = Hpo.on(parts.train(), parts.validation()).test(parts.test())
                .model(new Mlp(64, new int[] {50}, 10, Mlp.Activation.TANH, 1))
                .tune(WeightDecay.perWeight(-4))
                .method(new ImplicitHypergradient(new IdentitySolve(0.1)))
                .innerOptimizer(new Sgd(0.1, 0.9, false)).outerOptimizer(new Adam(0.1))
                .hyperSteps(60).innerSteps(10)
                .listener(new TrainingListener() {
                    @Override
                    public void onEvaluation(EvaluationEvent e) {
                        validationAccuracy.add(e.validation().accuracy());
                    }
                })
                .run();
        assertTrue(validationAccuracy.get(0) < 1.0, "the validation set is not fitted at the start: " + validationAccuracy.get(0));
        assertEquals(1.0, result.validation().accuracy(), 0.0, "validation accuracy after tuning");
        assertTrue(result.test().accuracy() < 0.92, "test accuracy stays clearly below: " + result.test().accuracy());
    }
}
