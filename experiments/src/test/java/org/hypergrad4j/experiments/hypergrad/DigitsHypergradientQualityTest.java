package org.hypergrad4j.experiments.hypergrad;

import org.hypergrad4j.data.Split;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.hypergrad4j.autodiff.DifferentiableOps;
import org.hypergrad4j.core.ExactSecondOrderView;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.Splits;
import org.hypergrad4j.data.Standardizer;
import org.hypergrad4j.hypergrad.HypergradientCheck;
import org.hypergrad4j.hypergrad.HypergradientProblem;
import org.hypergrad4j.hypergrad.HypergradientResult;
import org.hypergrad4j.hypergrad.ImplicitHypergradient;
import org.hypergrad4j.hypergrad.NewtonInnerSolver;
import org.hypergrad4j.solvers.ConjugateGradient;
import org.hypergrad4j.solvers.DenseSolve;
import org.hypergrad4j.solvers.NeumannSeries;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lorraine et al. (2020), experiment (e), on the bundled digits: a linear softmax model 64→10 with one
 * weight decay {@code exp(λ_ij)} per weight (640 hyperparameters, λ = −4), at the inner optimum. Cosine
 * similarity to the exact hypergradient (dense solve) of the Neumann approximation with 0, 1, 5 and 20
 * terms (α = 1/λ_max(H)) and of CG with 20 iterations; the table goes to docs/REPRODUCTIONS.md.
 */
class DigitsHypergradientQualityTest {

    @Test
    void conjugateGradientMatchesOrBeatsNeumannAtEqualProducts() {
        Dataset digits = BundledDatasets.digits();
        Split split = Splits.stratified(digits, 0.5, 0.25, 0.25, 7);
        Standardizer st = Standardizer.fit(split.train());
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("W", Nd4j.zeros(DataType.DOUBLE, 64, 10));
        SDVariable lambda = sd.var("lambda", Nd4j.valueArrayOf(new long[] {64, 10}, -4.0, DataType.DOUBLE));
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 64);
        SDVariable y = sd.placeHolder("y", DataType.DOUBLE, -1, 10);
        SDVariable xv = sd.placeHolder("xv", DataType.DOUBLE, -1, 64);
        SDVariable yv = sd.placeHolder("yv", DataType.DOUBLE, -1, 10);
        DifferentiableOps.softmaxCrossEntropy(sd, x.mmul(w), y).add(sd.math.exp(lambda).mul(sd.math.square(w)).sum()).rename("L_T");
        DifferentiableOps.softmaxCrossEntropy(sd, xv.mmul(w), yv).rename("L_V");
        var training = ExactSecondOrderView.build(sd, "L_T", List.of("W"), List.of("lambda"));
        var validation = ExactSecondOrderView.build(sd, "L_V", List.of("W"), List.of("lambda"));
        Dataset train = st.apply(split.train());
        Dataset val = st.apply(split.validation());
        Map<String, INDArray> tf = Map.of("x", train.toFeatures(DataType.DOUBLE), "y", train.toOneHotLabels(DataType.DOUBLE));
        Map<String, INDArray> vf = Map.of("xv", val.toFeatures(DataType.DOUBLE), "yv", val.toOneHotLabels(DataType.DOUBLE));
        new NewtonInnerSolver(1e-9, 30).solve(training, tf);
        HypergradientProblem problem = HypergradientProblem.fullBatch(training, tf, validation, vf);

        DMatrixRMaj hessian = training.denseHessian(tf);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(hessian.numRows, false, true);
        assertTrue(eig.decompose(hessian));
        double maxEig = 0;
        for (int i = 0; i < hessian.numRows; i++) {
            maxEig = Math.max(maxEig, eig.getEigenvalue(i).getReal());
        }
        double alpha = 1.0 / maxEig;
        double[] exact = new ImplicitHypergradient(new DenseSolve()).compute(problem).hypergradient().toDoubleArray();

        Map<String, Double> cosines = new LinkedHashMap<>();
        Map<String, Long> products = new LinkedHashMap<>();
        for (int terms : new int[] {0, 1, 5, 20}) {
            HypergradientResult r = new ImplicitHypergradient(new NeumannSeries(alpha, terms, false)).compute(problem);
            cosines.put("Neumann, " + terms + " terms", HypergradientCheck.cosine(r.hypergradient().toDoubleArray(), exact));
            products.put("Neumann, " + terms + " terms", r.products());
        }
        HypergradientResult cg = new ImplicitHypergradient(new ConjugateGradient(20, 0.0)).compute(problem);
        cosines.put("CG, 20 iterations", HypergradientCheck.cosine(cg.hypergradient().toDoubleArray(), exact));
        products.put("CG, 20 iterations", cg.products());

        StringBuilder table = new StringBuilder(String.format("digits, 640 per-weight decays, α = 1/λ_max = %.4g%n", alpha));
        table.append("| approximation | second-order products | cosine similarity to exact |\n|---|---|---|\n");
        cosines.forEach((k, c) -> table.append(String.format("| %s | %d | %.6f |%n", k, products.get(k), c)));
        System.out.println(table);

        double[] neumann = cosines.values().stream().limit(4).mapToDouble(Double::doubleValue).toArray();
        for (int i = 1; i < neumann.length; i++) {
            assertTrue(neumann[i] >= neumann[i - 1] - 1e-9, "Neumann cosine should rise with terms:\n" + table);
        }
        assertTrue(cosines.get("CG, 20 iterations") >= cosines.get("Neumann, 20 terms"), "CG 20 vs Neumann 20:\n" + table);
        assertTrue(products.get("CG, 20 iterations") <= products.get("Neumann, 20 terms"), table.toString());
        assertTrue(cosines.get("CG, 20 iterations") > 0.99, table.toString());
    }
}
