package org.hypergrad4j.hypernets.hypernet;

/**
 * How a {@link HypernetTrainer} runs.
 *
 * <ul>
 *   <li>{@link Mode#GLOBAL}: {@code hypernetSteps} updates of {@code φ} on the training objective with
 *       {@code samplesPerBatch} draws {@code λ ~ p(λ)} per minibatch, then {@code hyperparameterSteps} updates of
 *       {@code λ̂} on the validation loss {@code L_V(w_φ(λ̂))}, each projected onto the hypernetwork's range (where
 *       it was trained).</li>
 *   <li>{@link Mode#JOINT} (Lorraine and Duvenaud's local mode): {@code hypernetSteps} steps, each one update of
 *       {@code φ} with {@code λ_s ~ N(λ̂, σ²)} ({@code σ = perturbationScale}) followed by one update of {@code λ̂} on
 *       the validation loss at {@code λ̂}; {@code hyperparameterSteps} must be 0.</li>
 * </ul>
 *
 * @param mode                global or joint
 * @param hypernetSteps       updates of {@code φ} (at least 1)
 * @param hyperparameterSteps global mode: updates of {@code λ̂} after training {@code φ}; joint mode: 0
 * @param batchSize           training examples per {@code φ} update
 * @param samplesPerBatch     {@code λ} draws per minibatch (the authors use 2)
 * @param perturbationScale   joint mode: {@code σ > 0}; global mode: ignored (0)
 * @param validationBatchSize validation examples per {@code λ̂} update, 0 for all of them
 * @param seed                seeds the minibatches and the {@code λ} draws (each a function of the seed and the step)
 */
public record HypernetTrainerConfig(Mode mode, int hypernetSteps, int hyperparameterSteps, int batchSize, int samplesPerBatch,
                                    double perturbationScale, int validationBatchSize, long seed) {

    /** Global (train φ over p(λ), then tune λ̂) or joint (alternate, λ sampled around λ̂). */
    public enum Mode { GLOBAL, JOINT }

    public HypernetTrainerConfig {
        if (mode == null) {
            throw new IllegalArgumentException("The training mode is missing: choose GLOBAL or JOINT.");
        }
        if (hypernetSteps < 1) {
            throw new IllegalArgumentException("hypernetSteps must be at least 1, got " + hypernetSteps + ".");
        }
        if (hyperparameterSteps < 0 || (mode == Mode.JOINT && hyperparameterSteps != 0)) {
            throw new IllegalArgumentException("hyperparameterSteps must be " + (mode == Mode.JOINT
                    ? "0 in joint mode (each joint step already updates λ̂)" : "at least 0") + ", got " + hyperparameterSteps + ".");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize + ".");
        }
        if (samplesPerBatch < 1) {
            throw new IllegalArgumentException("samplesPerBatch must be at least 1 λ draw, got " + samplesPerBatch + ".");
        }
        if (mode == Mode.JOINT && (!(perturbationScale > 0) || Double.isInfinite(perturbationScale))) {
            throw new IllegalArgumentException("Joint mode needs a positive, finite perturbation scale σ, got " + perturbationScale + ".");
        }
        if (validationBatchSize < 0) {
            throw new IllegalArgumentException("validationBatchSize must be 0 (all) or positive, got " + validationBatchSize + ".");
        }
    }

    /**
     * Global mode with the authors' 2 draws per minibatch, batches of 100, full validation batches, seed 0.
     */
    public static HypernetTrainerConfig global(int hypernetSteps, int hyperparameterSteps) {
        return new HypernetTrainerConfig(Mode.GLOBAL, hypernetSteps, hyperparameterSteps, 100, 2, 0, 0, 0);
    }

    /** Joint mode with perturbation scale {@code σ}, 2 draws per minibatch, batches of 100, full validation batches, seed 0. */
    public static HypernetTrainerConfig joint(int steps, double perturbationScale) {
        return new HypernetTrainerConfig(Mode.JOINT, steps, 0, 100, 2, perturbationScale, 0, 0);
    }

    public HypernetTrainerConfig withBatchSize(int b) {
        return new HypernetTrainerConfig(mode, hypernetSteps, hyperparameterSteps, b, samplesPerBatch, perturbationScale,
                validationBatchSize, seed);
    }

    public HypernetTrainerConfig withSamplesPerBatch(int s) {
        return new HypernetTrainerConfig(mode, hypernetSteps, hyperparameterSteps, batchSize, s, perturbationScale,
                validationBatchSize, seed);
    }

    public HypernetTrainerConfig withValidationBatchSize(int v) {
        return new HypernetTrainerConfig(mode, hypernetSteps, hyperparameterSteps, batchSize, samplesPerBatch, perturbationScale,
                v, seed);
    }

    public HypernetTrainerConfig withSeed(long s) {
        return new HypernetTrainerConfig(mode, hypernetSteps, hyperparameterSteps, batchSize, samplesPerBatch, perturbationScale,
                validationBatchSize, s);
    }

    /** All steps of a run: {@code hypernetSteps + hyperparameterSteps}. */
    public long totalSteps() {
        return (long) hypernetSteps + hyperparameterSteps;
    }
}
