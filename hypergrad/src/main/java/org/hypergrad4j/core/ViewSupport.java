package org.hypergrad4j.core;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Validation and bookkeeping shared by the second-order views. */
final class ViewSupport {
    private ViewSupport() {
    }

    /**
     * Checks that the loss exists and is floating point, and that every weight and hyperparameter is a
     * distinct trainable variable of the loss's type; returns that type.
     */
    static DataType validate(SameDiff sd, String loss, List<String> weights, List<String> hyperparameters) {
        if (!sd.hasVariable(loss)) {
            throw new IllegalArgumentException("The graph has no variable '" + loss + "' (the loss).");
        }
        DataType type = sd.getVariable(loss).dataType();
        if (!type.isFPType()) {
            throw new IllegalArgumentException("Loss '" + loss + "' has type " + type + "; it must be floating point.");
        }
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("At least one weight variable is needed.");
        }
        Set<String> seen = new HashSet<>();
        for (String kind : new String[] {"weight", "hyperparameter"}) {
            for (String n : kind.equals("weight") ? weights : hyperparameters) {
                if (!seen.add(n)) {
                    throw new IllegalArgumentException("Variable '" + n + "' is listed twice among the weights and hyperparameters.");
                }
                if (!sd.hasVariable(n)) {
                    throw new IllegalArgumentException("The graph has no " + kind + " variable '" + n + "'.");
                }
                SDVariable v = sd.getVariable(n);
                if (v.getVariableType() != VariableType.VARIABLE || v.getArr() == null) {
                    throw new IllegalArgumentException("The " + kind + " '" + n + "' is a " + v.getVariableType()
                            + "; it must be a trainable variable (sd.var) holding an array.");
                }
                if (v.dataType() != type) {
                    throw new IllegalArgumentException("The " + kind + " '" + n + "' has type " + v.dataType()
                            + " but loss '" + loss + "' has type " + type + "; use one type throughout.");
                }
            }
        }
        return type;
    }

    /** The live arrays of the named variables. */
    static ParamVector liveArrays(SameDiff sd, List<String> names) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, sd.getVariable(n).getArr());
        }
        return ParamVector.wrap(m);
    }

    /**
     * Checks that {@code v} has exactly the names and shapes of {@code template}, and returns it in the
     * template's type.
     */
    static ParamVector conform(ParamVector v, ParamVector template, String what) {
        try {
            template.checkCompatible(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The vector multiplied by " + what + " must be shaped like "
                    + template.shapes() + "; got " + v.shapes() + ".", e);
        }
        if (!v.isEmpty() && v.dataType() != template.dataType()) {
            return v.castTo(template.dataType());
        }
        return v;
    }

    /** A copy of {@code feed} with {@code extra} added; fails if a name is fed twice. */
    static Map<String, INDArray> merge(Map<String, INDArray> feed, Map<String, INDArray> extra) {
        Map<String, INDArray> m = new HashMap<>();
        if (feed != null) {
            m.putAll(feed);
        }
        for (Map.Entry<String, INDArray> e : extra.entrySet()) {
            if (m.put(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException("Placeholder '" + e.getKey() + "' is reserved by the second-order view and must not be fed.");
            }
        }
        return m;
    }
}
