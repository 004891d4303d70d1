package org.hypergrad4j.bilevel.problem;

import org.hypergrad4j.data.Dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hypergrad4j.bilevel.hyper.Constraint;
import org.hypergrad4j.bilevel.hyper.ExampleWeights;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.hypergrad.HypergradientCheck;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.hypergrad.NewtonInnerSolver;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class BilevelProblemTest {

    private static BilevelProblem.Builder logistic(Dataset train, Dataset val) {
        return BilevelProblem.builder().model(Mlp.logisticRegression(train.numFeatures(), train.numClasses(), 3))
                .data(train, val).dataType(DataType.DOUBLE);
    }

    @Test
    void hyperparameterNamesAndShapesFollowTheirKinds() {
        Dataset train = Blobs.make("train", 30, 4, 3, 1.0, 1);
        Dataset val = Blobs.make("val", 20, 4, 3, 1.0, 2);
        BilevelProblem p = BilevelProblem.builder().model(new Mlp(4, new int[] {5}, 3, Mlp.Activation.TANH, 1)).data(train, val)
                .tune(WeightDecay.perWeight(-3)).tune(ExampleWeights.inUnitInterval(0.5)).dataType(DataType.DOUBLE).build();
        assertEquals(List.of("example_weights", "decay_W0", "decay_W1"), p.hyperparameters().names());
        assertEquals("{example_weights=[30, 1], decay_W0=[4, 5], decay_W1=[5, 3]}", p.hyperparameters().shapes());
        assertEquals(-3.0, p.hyperparameters().get("decay_W0").getDouble(0, 0), 1e-12);
        assertEquals(0.0, p.hyperparameters().get("example_weights").getDouble(0, 0), 1e-12, "σ(0) = 0.5");
        BilevelProblem global = logistic(train, val).tune(WeightDecay.global(-2)).build();
        assertEquals("{decay=[1, 1]}", global.hyperparameters().shapes());
    }

    /** The built graph's hypergradient agrees with finite differences at re-solved optima (float64). */
    @Test
    void exampleWeightsAndPerLayerDecayHaveCorrectHypergradients() {
        Dataset train = Blobs.make("train", 24, 3, 2, 1.0, 3);
        Dataset val = Blobs.make("val", 20, 3, 2, 1.0, 4);
        BilevelProblem p = logistic(train, val).tune(WeightDecay.perLayer(-2)).tune(ExampleWeights.inUnitInterval(0.7)).build();
        HypergradientCheck check = new HypergradientCheck(new NewtonInnerSolver(1e-9, 50), 4, 1e-4, 5);
        HypergradientCheck.Report r = check.check(new ImplicitHypergradient(new ConjugateGradient(100, 1e-12)),
                p.hypergradientProblem(p.fullTrainingFeed()), p.fullTrainingFeed());
        assertTrue(r.maxRelativeErrorToFiniteDifferences() < 1e-5, r.toTable());
        assertTrue(r.minCosineToExact() > 0.999999, r.toTable());
    }

    @Test
    void badInputsAreNamed() {
        Dataset train = Blobs.make("train", 10, 4, 2, 1.0, 1);
        Dataset val = Blobs.make("val", 10, 4, 2, 1.0, 2);
        assertMessage(() -> Dataset.classification("empty", new double[0][], new int[0], 2), "must have at least one row, but has none");
        assertMessage(() -> Dataset.classification("nan", new double[][] {{1, Double.NaN}}, new int[] {0}, 2),
                "Feature 1 of example 0 in data set 'nan' is NaN");
        assertMessage(() -> Dataset.classification("labels", new double[][] {{1}}, new int[] {5}, 2),
                "Label 5 of example 0 in data set 'labels' is outside the allowed range [0, 1]");
        assertMessage(() -> logistic(train.subset(), val).tune(WeightDecay.global(-1)).build(),
                "The training data 'train' is empty: at least one example is needed.");
        Dataset regression = Dataset.regression("heights", new double[][] {{1, 2, 3, 4}}, new double[] {1.5});
        assertMessage(() -> logistic(train, regression).tune(WeightDecay.global(-1)).build(),
                "The validation data 'heights' is a regression data set; class labels are needed.");
        assertMessage(() -> BilevelProblem.builder().model(Mlp.logisticRegression(5, 2, 1)).data(train, val).tune(WeightDecay.global(-1)).build(),
                "'train' has 4 features but the model softmax regression 5-2 expects 5");
        assertMessage(() -> logistic(train, val).build(), "No hyperparameters to tune");
        assertMessage(() -> new WeightDecay(WeightDecay.Scope.GLOBAL, -0.1, Constraint.log()), "Initial value -0.1 of hyperparameter 'weight decay' lies outside (0, ∞)");
        assertMessage(() -> ExampleWeights.inUnitInterval(1.0), "lies outside (0.0, 1.0)");
        assertMessage(() -> logistic(train, val).dataType(DataType.INT), "FLOAT or DOUBLE");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
