package org.hypergrad4j.repro.hypernets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.Split;
import org.junit.jupiter.api.Test;

/**
 * The exact per-weight hypergradient against float64 central differences of {@code λ ↦ L_V(w*(λ))}, each side's
 * classifier trained to convergence; and the Hessian-vector product against central differences of the gradient
 * (whose formula is independent of the product's).
 */
class ExactPerWeightHypergradientTest {
    /** The first {@code n} examples of a set: a small problem so that the many refits of the differences are quick. */
    private static Dataset head(Dataset d, int n) {
        double[][] x = Arrays.copyOf(d.features(), n);
        int[] y = Arrays.copyOf(d.labels(), n);
        return Dataset.classification(d.name() + "-head", x, y, d.numClasses());
    }

    /** Log decays that differ per weight, so the test is not one of a global decay. */
    private static double[] lambdas(int m) {
        double[] l = new double[m];
        for (int j = 0; j < m; j++) {
            l[j] = -4.5 + 1.5 * Math.sin(0.7 * j);
        }
        return l;
    }

    @Test
    void hypergradientMatchesCentralDifferencesOfTheRefittedValidationLoss() {
        Split parts = HypernetDigitsRuns.digits(21);
        Dataset train = head(parts.train(), 200);
        Dataset validation = head(parts.validation(), 100);
        ExactPerWeightHypergradient exact = new ExactPerWeightHypergradient(train, validation, 1e-11, 20_000, 1e-12);
        double[] lambda = lambdas(640);
        ExactPerWeightHypergradient.Result r = exact.at(lambda, null);
        assertTrue(r.fitConverged() && r.solveConverged(), "fit " + r.fitConverged() + ", solve " + r.solveConverged());
        double[] g = r.hypergradient();
        double largest = Arrays.stream(g).map(Math::abs).max().orElseThrow();
        assertTrue(largest > 1e-4, "a hypergradient this small would make the comparison empty: " + largest);

        // The three largest components and three others; each difference refits the classifier to 1e-11.
        Integer[] order = new Integer[g.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(Math.abs(g[b]), Math.abs(g[a])));
        int[] coordinates = {order[0], order[1], order[2], 5, 333, 601};
        SoftmaxRegressionFit fitter = new SoftmaxRegressionFit(train);
        double h = 1e-3;
        for (int j : coordinates) {
            double[] plus = lambda.clone();
            double[] minus = lambda.clone();
            plus[j] += h;
            minus[j] -= h;
            double up = SoftmaxRegressionFit.crossEntropy(fitter.fit(plus, r.weights(), 1e-11, 20_000).weights(), validation);
            double down = SoftmaxRegressionFit.crossEntropy(fitter.fit(minus, r.weights(), 1e-11, 20_000).weights(), validation);
            double difference = (up - down) / (2 * h);
            assertEquals(difference, g[j], 1e-4 * largest + 1e-3 * Math.abs(difference), "component " + j);
        }
    }

    @Test
    void hessianVectorProductMatchesCentralDifferencesOfTheGradient() {
        Split parts = HypernetDigitsRuns.digits(21);
        Dataset train = head(parts.train(), 150);
        SoftmaxRegressionFit fitter = new SoftmaxRegressionFit(train);
        double[] lambda = lambdas(640);
        double[] w = fitter.fit(lambda, 1e-3, 200).weights();
        double[] v = new double[w.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.cos(1.3 * i);
        }
        double[] hv = fitter.hessianVector(w, lambda, v);
        double eps = 1e-5;
        double[] plus = w.clone();
        double[] minus = w.clone();
        for (int i = 0; i < w.length; i++) {
            plus[i] += eps * v[i];
            minus[i] -= eps * v[i];
        }
        double[] gp = fitter.trainingGradient(plus, lambda);
        double[] gm = fitter.trainingGradient(minus, lambda);
        double scale = Arrays.stream(hv).map(Math::abs).max().orElseThrow();
        for (int i = 0; i < w.length; i++) {
            assertEquals((gp[i] - gm[i]) / (2 * eps), hv[i], 1e-6 * scale, "component " + i);
        }
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        Split parts = HypernetDigitsRuns.digits(21);
        ExactPerWeightHypergradient exact = new ExactPerWeightHypergradient(parts.train(), parts.validation(), 1e-6, 100, 1e-8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> exact.at(new double[10], null));
        assertTrue(e.getMessage().contains("Expected 640 log decays"), e.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> new ExactPerWeightHypergradient(parts.train(), parts.validation(), 0, 100, 1e-8));
        assertTrue(t.getMessage().contains("Tolerances must be positive"), t.getMessage());
        assertEquals(1.0, ExactPerWeightHypergradient.cosine(new double[] {1, 2}, new double[] {2, 4}), 1e-15);
        assertEquals(-1.0, ExactPerWeightHypergradient.cosine(new double[] {1, 0}, new double[] {-3, 0}), 1e-15);
        assertEquals(0.5, ExactPerWeightHypergradient.normRatio(new double[] {3, 4}, new double[] {6, 8}), 1e-15);
    }
}
