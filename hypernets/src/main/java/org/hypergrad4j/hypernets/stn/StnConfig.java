package org.hypergrad4j.hypernets.stn;

/**
 * The STN loop's schedule: {@code warmupSteps} training steps at perturbed {@code λ}, then {@code cycles}
 * cycles of {@code trainSteps} training steps ({@code T_train}) and {@code validationSteps} hyper steps
 * ({@code T_valid}).
 *
 * @param entropyWeight   {@code τ} in the hyper objective {@code L_V − τ·H}
 * @param tuneScale       whether the hyper step also updates the perturbation scales {@code ρ}
 */
public record StnConfig(int warmupSteps, int trainSteps, int validationSteps, int cycles, int batchSize, int validationBatchSize,
                        double entropyWeight, boolean tuneScale, long seed) {

    /** The paper's {@code τ}. */
    public static final double DEFAULT_ENTROPY_WEIGHT = 1e-3;

    public StnConfig {
        if (warmupSteps < 0 || trainSteps < 1 || validationSteps < 1 || cycles < 0) {
            throw new IllegalArgumentException("STN schedule needs warmupSteps ≥ 0, trainSteps ≥ 1, validationSteps ≥ 1 and cycles ≥ 0; got " + warmupSteps
                    + ", " + trainSteps + ", " + validationSteps + ", " + cycles + ".");
        }
        if (batchSize < 1 || validationBatchSize < 1) {
            throw new IllegalArgumentException("Batch sizes must be ≥ 1; got " + batchSize + " (training) and " + validationBatchSize + " (validation).");
        }
        if (!(entropyWeight >= 0) || !Double.isFinite(entropyWeight)) {
            throw new IllegalArgumentException("entropyWeight τ must be finite and ≥ 0; got " + entropyWeight + ".");
        }
    }

    /** {@code T_train/T_valid = 2/1}, {@code τ = 1e-3}, scales tuned, batch 128, no warm-up. */
    public static StnConfig defaults(int cycles) {
        return new StnConfig(0, 2, 1, cycles, 128, 128, DEFAULT_ENTROPY_WEIGHT, true, 0L);
    }

    public StnConfig withWarmup(int steps) {
        return new StnConfig(steps, trainSteps, validationSteps, cycles, batchSize, validationBatchSize, entropyWeight, tuneScale, seed);
    }

    public StnConfig withSteps(int train, int validation) {
        return new StnConfig(warmupSteps, train, validation, cycles, batchSize, validationBatchSize, entropyWeight, tuneScale, seed);
    }

    public StnConfig withBatchSizes(int train, int validation) {
        return new StnConfig(warmupSteps, trainSteps, validationSteps, cycles, train, validation, entropyWeight, tuneScale, seed);
    }

    public StnConfig withEntropyWeight(double tau) {
        return new StnConfig(warmupSteps, trainSteps, validationSteps, cycles, batchSize, validationBatchSize, tau, tuneScale, seed);
    }

    public StnConfig withTuneScale(boolean tune) {
        return new StnConfig(warmupSteps, trainSteps, validationSteps, cycles, batchSize, validationBatchSize, entropyWeight, tune, seed);
    }

    public StnConfig withSeed(long s) {
        return new StnConfig(warmupSteps, trainSteps, validationSteps, cycles, batchSize, validationBatchSize, entropyWeight, tuneScale, s);
    }

    public StnConfig withCycles(int c) {
        return new StnConfig(warmupSteps, trainSteps, validationSteps, c, batchSize, validationBatchSize, entropyWeight, tuneScale, seed);
    }
}
