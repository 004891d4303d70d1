package org.hypergrad4j.hypernets.stn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.simple.SimpleMatrix;
import org.hypergrad4j.bilevel.optim.Adam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

/**
 * The ridge toy of MacKay et al. (2019): for {@code L_T(w, λ) = (1/n)‖Xw − y‖² + λ‖w‖²} the best response is
 * {@code w*(λ) = (XᵀX + nλI)⁻¹Xᵀy} with {@code d w*(λ) / dλ = −n (XᵀX + nλI)⁻¹ w*(λ)}. An STN trained on
 * perturbed {@code λ} must learn a best-response layer whose derivative points the same way.
 */
class StnRidgeBestResponseTest {

    @Test
    void learnedBestResponseDerivativeMatchesTheAnalyticOne() {
        int n = 40;
        int features = 5;
        Random rnd = new Random(3);
        // Columns of different scales, so that dw*/dλ is not simply parallel to w*.
        double[] columnScale = {3.0, 1.5, 1.0, 0.5, 0.25};
        double[][] x = new double[n][features];
        double[] wTrue = {1.0, -2.0, 0.5, 3.0, -1.0};
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < features; j++) {
                x[i][j] = columnScale[j] * rnd.nextGaussian();
                y[i][0] += x[i][j] * wTrue[j];
            }
            y[i][0] += 0.5 * rnd.nextGaussian();
        }
        StnHyperparameters hp = new StnHyperparameters(List.of(StnHyperparameter.logScale("decay", 1e-2, 10.0, 0.5)), 0.3);
        StnNetwork net = StnNetwork.builder(features, hp).dataType(DataType.DOUBLE).seed(11).loss(StnNetwork.Loss.SQUARED_ERROR)
                .weightDecay("decay").linearNoBias(1, StnNetwork.Activation.IDENTITY).build();
        Adam adam = new Adam(0.03);
        Random noise = new Random(5);
        for (int step = 0; step < 1200; step++) {
            double[][] eps = new double[n][1];
            for (double[] e : eps) {
                e[0] = noise.nextGaussian();
            }
            Map<String, INDArray> feed = new LinkedHashMap<>();
            feed.put(StnNetwork.INPUT, Nd4j.create(x));
            feed.put(StnNetwork.TARGETS, Nd4j.create(y));
            feed.put(StnNetwork.EPSILON, Nd4j.create(eps));
            feed.put(StnNetwork.DECAY_ON, Nd4j.ones(DataType.DOUBLE, 1, 1));
            adam.step(net.weights(), net.lossAndGradients(feed, net.weightNames()).gradients());
        }
        double lambda = hp.value("decay");
        SimpleMatrix xm = new SimpleMatrix(x);
        SimpleMatrix a = xm.transpose().mult(xm).plus(SimpleMatrix.identity(features).scale(n * lambda));
        SimpleMatrix wStar = a.solve(xm.transpose().mult(new SimpleMatrix(y)));
        SimpleMatrix analytic = a.solve(wStar).scale(-n);
        double[] learned = net.effectiveWeightDerivative(0, 0).toDoubleVector();
        double cosine = cosine(learned, analytic.getDDRM().getData());
        double naive = cosine(wStar.scale(-1).getDDRM().getData(), analytic.getDDRM().getData());
        double[] wAtLambda = net.effectiveWeight(0, new double[]{hp.lambda().getDouble(0, 0)}).toDoubleVector();
        System.out.printf("ridge STN: cos(dW_eff/du, dw*/dλ) = %.4f (cos(−w*, dw*/dλ) = %.4f); ‖W_eff − w*‖/‖w*‖ = %.2e%n", cosine, naive,
                relativeDistance(wAtLambda, wStar.getDDRM().getData()));
        assertTrue(cosine > 0.9, "cosine " + cosine);
        assertTrue(relativeDistance(wAtLambda, wStar.getDDRM().getData()) < 0.05, "the best response at λ itself is off");
    }

    static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    static double relativeDistance(double[] a, double[] b) {
        double d = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            d += (a[i] - b[i]) * (a[i] - b[i]);
            nb += b[i] * b[i];
        }
        return Math.sqrt(d / nb);
    }
}
