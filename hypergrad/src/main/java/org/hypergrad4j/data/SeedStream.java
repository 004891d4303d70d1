package org.hypergrad4j.data;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * The framework's random streams: every random draw of a run other than the initial weights (which take the run's
 * seed itself) comes from one of these streams, item {@code index} of stream {@code s} under root seed {@code r}
 * having the seed
 * <pre>  seed(r, s, i) = mix64(mix64(mix64(r) + id(s)·γ) + (i + 1)·γ)</pre>
 * with {@code γ = 0x9E3779B97F4A7C15} and {@code mix64} the SplitMix64 finaliser (Stafford's variant 13). Item seeds
 * are a pure function of (root, stream, index), so a run replays and resumes draw for draw; the finaliser after each
 * level keeps neighbouring roots, streams and indices apart. (The seed {@code r·γ + i} that the trainers used
 * before, {@code γ} being SplittableRandom's own increment, made the generator of root {@code r + 1} that of root
 * {@code r} advanced by one draw: runs with neighbouring seeds drew the same raw numbers, offset by one.)
 *
 * <p>Each stream's {@code id} is fixed here, not its ordinal, so that adding a stream does not change the numbers of
 * existing runs.
 */
public enum SeedStream {
    /** The epoch permutations of the inner problem's training minibatches. */
    TRAINING_BATCHES(1),
    /** The epoch permutations of the validation minibatches of hyper-steps. */
    VALIDATION_BATCHES(2),
    /** The epoch permutations of the training minibatches a hypergradient's second-order terms use. */
    HYPER_TRAINING_BATCHES(3),
    /** Per-step noise of a training step: dropout masks, augmentation, hyperparameter perturbations. */
    TRAINING_NOISE(4),
    /** Per-hyper-step noise: of the feeds a hypergradient is computed on, or of the perturbations in a hyper-step. */
    HYPER_STEP_NOISE(5),
    /** Per-step draws of hyperparameters (the λ a hypernetwork is trained at). */
    HYPERPARAMETER_DRAWS(6),
    /** The initialisation of a second parameter block that must not share the weights' generator. */
    SECONDARY_INITIALISATION(7),
    /** Per-step draws of a hypergradient estimator's own minibatches ({@code MinibatchSampler}). */
    SAMPLER_BATCHES(8),
    /** Corruption of data an experiment studies: which labels it flips, and to what. */
    DATA_CORRUPTION(9);

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long id;

    SeedStream(long id) {
        this.id = id;
    }

    /** The stream's fixed identifier in the seed formula. */
    public long id() {
        return id;
    }

    /** The seed of item {@code index} of this stream under {@code root}: the formula of the class Javadoc. */
    public long seed(long root, long index) {
        return mix64(mix64(mix64(root) + id * GOLDEN_GAMMA) + (index + 1) * GOLDEN_GAMMA);
    }

    /** A {@link SplittableRandom} seeded with {@link #seed(long, long)}. */
    public SplittableRandom splittable(long root, long index) {
        return new SplittableRandom(seed(root, index));
    }

    /** A {@link Random} seeded with {@link #seed(long, long)}, for code that takes {@code java.util.Random}. */
    public Random random(long root, long index) {
        return new Random(seed(root, index));
    }

    /** SplitMix64's finaliser (Stafford's mix 13): a bijection of 64-bit values that spreads every input bit. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
