package org.hypergrad4j.autodiff;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Losses and layers written from plain ops whose derivatives are correct to every order, for graphs
 * that will be differentiated twice. Use these instead of {@code sd.loss.*} (whose SameDiff
 * gradients ignore upstream scaling), {@code sd.nn.logSoftmax(x, dim)} and {@code sd.nn.dropout}
 * (whose gradients throw).
 */
public final class DifferentiableOps {
    private DifferentiableOps() {
    }

    /**
     * Numerically stable log-softmax along {@code dim}:
     * {@code log softmax(x)_i = (x_i − m) − log Σ_j exp(x_j − m)}, {@code m = max_j x_j}.
     */
    public static SDVariable logSoftmax(SameDiff sd, SDVariable logits, int dim) {
        SDVariable shifted = logits.sub(logits.max(true, dim));
        return shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, dim)));
    }

    /**
     * Mean softmax cross-entropy over the batch (axis 0):
     * {@code L = −(1/N) Σ_n Σ_k y_nk · log softmax(z_n)_k}, for logits {@code z} and one-hot (or soft)
     * labels {@code y}, both [N, K].
     */
    public static SDVariable softmaxCrossEntropy(SameDiff sd, SDVariable logits, SDVariable labels) {
        return logSoftmax(sd, logits, 1).mul(labels).sum(1).mean().neg();
    }

    /**
     * Per-example softmax cross-entropy, shape [N]: {@code ℓ_n = −Σ_k y_nk · log softmax(z_n)_k}.
     */
    public static SDVariable softmaxCrossEntropyPerExample(SameDiff sd, SDVariable logits, SDVariable labels) {
        return logSoftmax(sd, logits, 1).mul(labels).sum(1).neg();
    }

    /**
     * Mean binary cross-entropy from logits, stable for large |z|:
     * {@code L = (1/N) Σ [softplus(z) − y·z]}, for logits {@code z} and labels {@code y ∈ [0, 1]}.
     */
    public static SDVariable sigmoidCrossEntropy(SameDiff sd, SDVariable logits, SDVariable labels) {
        return sd.nn.softplus(logits).sub(logits.mul(labels)).mean();
    }

    /** Mean squared error over all elements: {@code (1/M) Σ (p − t)²}. */
    public static SDVariable meanSquaredError(SameDiff sd, SDVariable predictions, SDVariable targets) {
        return sd.math.square(predictions.sub(targets)).mean();
    }

    /**
     * Dropout as a multiplication by a fed mask: {@code x ⊙ mask}, where the caller feeds an inverted
     * Bernoulli mask (entries {@code 0} or {@code 1/(1−p)}) or ones at evaluation time.
     */
    public static SDVariable dropout(SDVariable x, SDVariable mask) {
        return x.mul(mask);
    }
}
