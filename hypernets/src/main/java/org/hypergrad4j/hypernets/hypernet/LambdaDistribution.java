package org.hypergrad4j.hypernets.hypernet;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The distribution {@code p(λ)} that global hypernetwork training draws hyperparameters from. {@code λ} is a log
 * weight decay, so {@link #uniform(HyperparameterRange)} is log-uniform in the decay {@code exp(λ)}.
 * Implementations must draw only from the given generator, so that a run is a function of its seed.
 */
public interface LambdaDistribution {

    /** One draw of {@code dimensions} hyperparameters. */
    double[] sample(RandomGenerator random, int dimensions);

    /** The distribution and its parameters. */
    String describe();

    /** Each component independently uniform on {@code range}. */
    static LambdaDistribution uniform(HyperparameterRange range) {
        Objects.requireNonNull(range, "range");
        return new LambdaDistribution() {
            @Override
            public double[] sample(RandomGenerator random, int dimensions) {
                double[] s = new double[dimensions];
                for (int j = 0; j < dimensions; j++) {
                    s[j] = range.lower() + range.width() * random.nextDouble();
                }
                return s;
            }

            @Override
            public String describe() {
                return "uniform" + range;
            }
        };
    }

    /** Each component independently {@code N(mean, standardDeviation²)}. */
    static LambdaDistribution normal(double mean, double standardDeviation) {
        if (!Double.isFinite(mean) || !(standardDeviation > 0) || Double.isInfinite(standardDeviation)) {
            throw new IllegalArgumentException("A normal λ distribution needs a finite mean and a positive finite standard deviation, got mean "
                    + mean + " and standard deviation " + standardDeviation + ".");
        }
        return new LambdaDistribution() {
            @Override
            public double[] sample(RandomGenerator random, int dimensions) {
                double[] s = new double[dimensions];
                for (int j = 0; j < dimensions; j++) {
                    s[j] = mean + standardDeviation * random.nextGaussian();
                }
                return s;
            }

            @Override
            public String describe() {
                return "normal(" + mean + ", " + standardDeviation + ")";
            }
        };
    }
}
