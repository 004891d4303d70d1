package org.hypergrad4j.core;

import java.util.List;
import org.hypergrad4j.autodiff.GradientTransform;
import org.hypergrad4j.autodiff.UnsupportedOpException;
import org.nd4j.autodiff.samediff.SameDiff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses a {@link SecondOrderView} for a graph: exact where every op has a rule, else (if allowed) finite differences. */
public final class SecondOrderViews {
    private static final Logger LOG = LoggerFactory.getLogger(SecondOrderViews.class);

    /** Whether a graph with unsupported ops may fall back to finite differences. */
    public enum Fallback {
        /** Unsupported ops raise {@link UnsupportedOpException}. */
        NONE,
        /** Unsupported ops select {@link FiniteDifferenceSecondOrderView}, with a logged warning. */
        FINITE_DIFFERENCES
    }

    private SecondOrderViews() {
    }

    /** The exact view with built-in rules, or the finite-difference view if allowed and an op is unsupported. */
    public static SecondOrderView create(SameDiff sd, String loss, List<String> weights, List<String> hyperparameters,
                                         Fallback fallback) {
        return create(sd, loss, weights, hyperparameters, GradientTransform.withBuiltinRules(), fallback);
    }

    /** As {@link #create(SameDiff, String, List, List, Fallback)} with the given transform (e.g. extra rules). */
    public static SecondOrderView create(SameDiff sd, String loss, List<String> weights, List<String> hyperparameters,
                                         GradientTransform transform, Fallback fallback) {
        try {
            return ExactSecondOrderView.build(sd, loss, weights, hyperparameters, transform);
        } catch (UnsupportedOpException e) {
            if (fallback == Fallback.NONE) {
                throw e;
            }
            LOG.warn("Exact second derivatives are unavailable for '{}' ({}); falling back to finite differences.",
                    loss, e.getMessage());
            return FiniteDifferenceSecondOrderView.build(sd, loss, weights, hyperparameters);
        }
    }
}
