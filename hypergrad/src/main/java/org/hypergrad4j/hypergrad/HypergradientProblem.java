package org.hypergrad4j.hypergrad;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.core.SecondOrderView;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every hypergradient method needs: the training loss {@code L_T(w, λ)} and validation loss
 * {@code L_V(w, λ)} as second-order views over the same weight and hyperparameter arrays, and where
 * their placeholders' values come from.
 *
 * <p>Feeds are suppliers so that each term can be computed on its own minibatch (the stochastic
 * variants): {@code validationFeed} for {@code ∂L_V/∂w} and {@code ∂L_V/∂λ}, {@code hessianFeed} for the
 * Hessian products of {@code L_T} (one draw per linear solve, so the operator is fixed during the
 * solve), {@code mixedFeed} for the mixed product. Full-batch problems supply the same map every time.
 */
public record HypergradientProblem(SecondOrderView training, SecondOrderView validation,
                                   Supplier<Map<String, INDArray>> validationFeed,
                                   Supplier<Map<String, INDArray>> hessianFeed,
                                   Supplier<Map<String, INDArray>> mixedFeed) {

    /**
     * @throws IllegalArgumentException if the two views' weights or hyperparameters differ in names or
     *         shapes, or are not the same arrays (the views must share one point)
     */
    public HypergradientProblem {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(validationFeed, "validationFeed");
        Objects.requireNonNull(hessianFeed, "hessianFeed");
        Objects.requireNonNull(mixedFeed, "mixedFeed");
        checkShared("weights", training.weights(), validation.weights());
        checkShared("hyperparameters", training.hyperparameters(), validation.hyperparameters());
        if (training.hyperparameters().isEmpty()) {
            throw new IllegalArgumentException("The training loss has no hyperparameters: there is nothing to differentiate with respect to.");
        }
        if (training.dataType() != validation.dataType()) {
            throw new IllegalArgumentException("Training loss is " + training.dataType() + " but validation loss is "
                    + validation.dataType() + "; use one type.");
        }
    }

    /** A full-batch problem: the same feeds for every term. */
    public static HypergradientProblem fullBatch(SecondOrderView training, Map<String, INDArray> trainingFeed,
                                                 SecondOrderView validation, Map<String, INDArray> validationFeed) {
        Map<String, INDArray> t = Map.copyOf(trainingFeed);
        Map<String, INDArray> v = Map.copyOf(validationFeed);
        return new HypergradientProblem(training, validation, () -> v, () -> t, () -> t);
    }

    private static void checkShared(String what, ParamVector a, ParamVector b) {
        try {
            a.checkCompatible(b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Training and validation losses must have the same " + what + ": "
                    + a.shapes() + " vs " + b.shapes() + ".", e);
        }
        for (String n : a.names()) {
            if (a.get(n) != b.get(n)) {
                throw new IllegalArgumentException("The " + what + " tensor '" + n + "' of the training and validation losses are"
                        + " different arrays; build both losses in one graph so they share the variable.");
            }
        }
    }

    /** The shared weights (live). */
    public ParamVector weights() {
        return training.weights();
    }

    /** The shared hyperparameters (live). */
    public ParamVector hyperparameters() {
        return training.hyperparameters();
    }
}
