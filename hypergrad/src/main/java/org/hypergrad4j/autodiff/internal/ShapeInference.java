package org.hypergrad4j.autodiff.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hypergrad4j.autodiff.GradientTransformException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Static shapes of graph variables, found by running the graph on zero-filled placeholders.
 * Placeholder dimensions declared as {@code -1} are filled with two different probe sizes; a
 * dimension of any variable that differs between the two runs is reported as {@code -1} (dynamic).
 */
public final class ShapeInference {
    private static final long FIRST_PROBE = 3;
    private static final long SECOND_PROBE = 5;

    private ShapeInference() {
    }

    /** Shapes of {@code names} (any variable types) in {@code sd}. */
    public static Map<String, long[]> infer(SameDiff sd, Collection<String> names) {
        List<String> computed = new ArrayList<>();
        Map<String, long[]> result = new HashMap<>();
        for (String n : names) {
            SDVariable v = sd.getVariable(n);
            if (v.getVariableType() == VariableType.ARRAY) {
                computed.add(n);
            } else if (v.getVariableType() == VariableType.PLACEHOLDER) {
                long[] s = v.placeholderShape();
                if (s == null) {
                    throw new GradientTransformException("Placeholder '" + n + "' was declared without a shape;"
                            + " declare its rank and static dimensions (use -1 for the batch dimension).");
                }
                result.put(n, s.clone());
            } else {
                result.put(n, v.getArr().shape().clone());
            }
        }
        if (computed.isEmpty()) {
            return result;
        }
        boolean dynamic = false;
        for (String p : sd.inputs()) {
            long[] s = sd.getVariable(p).placeholderShape();
            if (s != null && Arrays.stream(s).anyMatch(d -> d < 0)) {
                dynamic = true;
            }
        }
        try {
            Map<String, INDArray> first = sd.output(probeFeed(sd, FIRST_PROBE), computed);
            Map<String, INDArray> second = dynamic ? sd.output(probeFeed(sd, SECOND_PROBE), computed) : first;
            for (String n : computed) {
                long[] a = first.get(n).shape();
                long[] b = second.get(n).shape();
                if (a.length != b.length) {
                    throw new GradientTransformException("Variable '" + n + "' changes rank with the batch size ("
                            + Arrays.toString(a) + " vs " + Arrays.toString(b) + "); the gradient transform needs a fixed rank.");
                }
                long[] s = a.clone();
                for (int i = 0; i < s.length; i++) {
                    if (a[i] != b[i]) {
                        s[i] = -1;
                    }
                }
                result.put(n, s);
            }
        } finally {
            sd.getSessions().clear();
        }
        return result;
    }

    private static Map<String, INDArray> probeFeed(SameDiff sd, long probe) {
        Map<String, INDArray> feed = new HashMap<>();
        for (String p : sd.inputs()) {
            SDVariable v = sd.getVariable(p);
            long[] s = v.placeholderShape();
            if (s == null) {
                throw new GradientTransformException("Placeholder '" + p + "' was declared without a shape;"
                        + " declare its rank and static dimensions (use -1 for the batch dimension).");
            }
            long[] concrete = s.clone();
            for (int i = 0; i < concrete.length; i++) {
                if (concrete[i] < 0) {
                    concrete[i] = probe;
                }
            }
            feed.put(p, Nd4j.zeros(v.dataType(), concrete));
        }
        return feed;
    }
}
