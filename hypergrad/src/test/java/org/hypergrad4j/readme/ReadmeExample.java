package org.hypergrad4j.readme;

import java.util.List;
import java.util.Map;
import org.hypergrad4j.core.CurvatureProducts;
import org.hypergrad4j.core.ExactSecondOrderView;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.hypergrad.HypergradientProblem;
import org.hypergrad4j.hypergrad.HypergradientResult;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The README's first example; {@code ReadmeExampleTest} checks that the README shows exactly this code and runs it. */
public final class ReadmeExample {
    private ReadmeExample() {
    }

    public static HypergradientResult run() {
        // README-EXAMPLE-START
        // Ridge regression with one weight decay exp(λ_j) per feature, in one SameDiff graph.
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.zeros(DataType.DOUBLE, 3, 1));
        SDVariable lambda = sd.var("lambda", Nd4j.valueArrayOf(new long[] {3, 1}, -2.0, DataType.DOUBLE));
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 3);
        SDVariable y = sd.placeHolder("y", DataType.DOUBLE, -1, 1);
        SDVariable xVal = sd.placeHolder("xVal", DataType.DOUBLE, -1, 3);
        SDVariable yVal = sd.placeHolder("yVal", DataType.DOUBLE, -1, 1);
        sd.math.square(x.mmul(w).sub(y)).mean()
                .add(sd.math.exp(lambda).mul(sd.math.square(w)).sum()).rename("trainLoss");
        sd.math.square(xVal.mmul(w).sub(yVal)).mean().rename("valLoss");

        // Exact second derivatives of both losses (weights w, hyperparameters λ).
        var train = ExactSecondOrderView.build(sd, "trainLoss", List.of("w"), List.of("lambda"));
        var val = ExactSecondOrderView.build(sd, "valLoss", List.of("w"), List.of("lambda"));
        Map<String, INDArray> trainData = Map.of("x", Nd4j.rand(DataType.DOUBLE, 20, 3), "y", Nd4j.rand(DataType.DOUBLE, 20, 1));
        Map<String, INDArray> valData = Map.of("xVal", Nd4j.rand(DataType.DOUBLE, 10, 3), "yVal", Nd4j.rand(DataType.DOUBLE, 10, 1));

        // A Hessian-vector product H v and the mixed product (∂²L/∂λ∂w) v, from one reverse pass.
        ParamVector v = train.weights().withValues(new double[] {1, 0, 0});
        CurvatureProducts p = train.hessianAndMixed(v, trainData);
        System.out.println("H v = " + p.hessianVector().get("w") + ", mixed = " + p.mixedVector().get("lambda"));

        // Train w (gradient descent), then the hypergradient dL_V/dλ by implicit differentiation with CG.
        for (int step = 0; step < 500; step++) {
            train.weights().axpyInPlace(-0.1, train.lossAndGradient(trainData).weightGradient());
        }
        var problem = HypergradientProblem.fullBatch(train, trainData, val, valData);
        HypergradientResult h = new ImplicitHypergradient(new ConjugateGradient(20, 1e-10)).compute(problem);
        System.out.println("dL_V/dλ = " + h.hypergradient().get("lambda") + " (" + h.diagnosis() + ")");
        // README-EXAMPLE-END
        return h;
    }
}
