package org.hypergrad4j.hypernets.hypernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.hypergrad4j.bilevel.model.Mlp;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.core.ParamVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradients the graph computes (appended by the gradient transform) agree with float64 central differences:
 * of the training objective with respect to the entries of φ (and θ₀; up to 24 entries spread over each tensor),
 * and of the validation loss with respect to every entry of λ̂, for linear and MLP hypernetworks, plain and MIP,
 * global and per-weight decay.
 */
class HypernetGradientTest {
    private static final double EPS = 1e-6;
    private static final double TOLERANCE = 1e-5;
    private static final Dataset DATA = HypernetTestData.gaussian("gradient-check", 12, 4, 3, 5);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(DecayScope.GLOBAL, HypernetArchitecture.linear()),
                Arguments.of(DecayScope.GLOBAL, HypernetArchitecture.linear().withMagnitudeInvariance()),
                Arguments.of(DecayScope.GLOBAL, HypernetArchitecture.mlp(Mlp.Activation.TANH, 5, 4).withEncodingOnly()),
                Arguments.of(DecayScope.GLOBAL, HypernetArchitecture.mlp(Mlp.Activation.SIGMOID, 3, 3, 3).withResidualOnly()),
                Arguments.of(DecayScope.PER_WEIGHT, HypernetArchitecture.linear()),
                Arguments.of(DecayScope.PER_WEIGHT, HypernetArchitecture.mlp(Mlp.Activation.TANH, 6).withMagnitudeInvariance()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void gradientsMatchCentralDifferences(DecayScope scope, HypernetArchitecture architecture) {
        HypernetworkObjective objective = HypernetworkObjective.builder(DATA.numFeatures(), DATA.numClasses()).scope(scope)
                .range(new HyperparameterRange(-4, 1)).architecture(architecture).dataType(DataType.DOUBLE).seed(11).initialLambda(-1.3)
                .build();
        INDArray x = DATA.toFeatures(DataType.DOUBLE);
        INDArray y = DATA.toOneHotLabels(DataType.DOUBLE);
        int m = objective.hyperparameterCount();
        double[][] lambdas = new double[2][m];
        for (int j = 0; j < m; j++) {
            lambdas[0][j] = -3.1 + 0.05 * j;
            lambdas[1][j] = 0.4 - 0.03 * j;
        }

        ParamVector analytic = objective.trainingObjectiveAndGradient(x, y, lambdas).gradient();
        ParamVector phi = objective.hypernetParameters();
        double worst = 0;
        for (String name : phi.names()) {
            INDArray p = phi.get(name);
            INDArray g = analytic.get(name);
            // Up to 24 entries per tensor, spread over it, keep the check fast; small tensors are checked entirely.
            long stride = Math.max(1, p.length() / 24);
            for (long i = 0; i < p.length(); i += stride) {
                double v = p.getDouble(i);
                p.putScalar(i, v + EPS);
                double plus = objective.trainingObjective(x, y, lambdas);
                p.putScalar(i, v - EPS);
                double minus = objective.trainingObjective(x, y, lambdas);
                p.putScalar(i, v);
                double numeric = (plus - minus) / (2 * EPS);
                double error = Math.abs(numeric - g.getDouble(i)) / Math.max(1e-3, Math.abs(numeric));
                worst = Math.max(worst, error);
                assertTrue(error < TOLERANCE, "∂/∂" + name + "[" + i + "]: analytic " + g.getDouble(i) + " vs central difference " + numeric);
            }
        }

        ParamVector lambdaGradient = objective.validationLossAndGradient(x, y).gradient();
        INDArray hat = objective.hyperparameters().get(HypernetworkObjective.LAMBDA_HAT);
        assertEquals(m, hat.length());
        for (long j = 0; j < m; j++) {
            double v = hat.getDouble(j);
            hat.putScalar(j, v + EPS);
            double plus = objective.validationLossAndGradient(x, y).value();
            hat.putScalar(j, v - EPS);
            double minus = objective.validationLossAndGradient(x, y).value();
            hat.putScalar(j, v);
            double numeric = (plus - minus) / (2 * EPS);
            double analyticJ = lambdaGradient.get(HypernetworkObjective.LAMBDA_HAT).getDouble(j);
            double error = Math.abs(numeric - analyticJ) / Math.max(1e-3, Math.abs(numeric));
            worst = Math.max(worst, error);
            assertTrue(error < TOLERANCE, "∂L_V/∂λ̂[" + j + "]: analytic " + analyticJ + " vs central difference " + numeric);
        }
        System.out.printf("%s %s: %d φ entries, %d λ̂ entries, worst relative error %.2e%n", scope, architecture.describe(), phi.length(), m, worst);
    }
}
