package org.hypergrad4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Several named tensors seen as one vector {@code x = (x_1, ..., x_k)} of length {@code Σ size(x_i)},
 * so that solvers can use dot products, norms and linear combinations over all weight (or
 * hyperparameter) tensors at once. Entries stay in their INDArrays (and on their device).
 *
 * <p>Methods named {@code ...InPlace} modify this vector's arrays; all others return a new vector
 * and leave their arguments unchanged. Two vectors combine only if they have the same names, in the
 * same order, with the same shapes.
 */
public final class ParamVector {
    private final LinkedHashMap<String, INDArray> parts;

    private ParamVector(LinkedHashMap<String, INDArray> parts) {
        this.parts = parts;
    }

    /**
     * A vector over the given arrays, not copied: changes to them show in the vector and vice versa.
     *
     * @throws IllegalArgumentException if an array is null, or if the arrays' types differ
     */
    public static ParamVector wrap(Map<String, INDArray> arrays) {
        Objects.requireNonNull(arrays, "arrays");
        DataType type = null;
        LinkedHashMap<String, INDArray> copy = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            INDArray a = e.getValue();
            if (a == null) {
                throw new IllegalArgumentException("Tensor '" + e.getKey() + "' is null.");
            }
            if (type == null) {
                type = a.dataType();
            } else if (a.dataType() != type) {
                throw new IllegalArgumentException("Tensor '" + e.getKey() + "' has type " + a.dataType()
                        + " but earlier tensors have type " + type + "; a ParamVector holds one type.");
            }
            copy.put(e.getKey(), a);
        }
        return new ParamVector(copy);
    }

    /** A vector holding one tensor. */
    public static ParamVector of(String name, INDArray array) {
        LinkedHashMap<String, INDArray> m = new LinkedHashMap<>();
        m.put(name, array);
        return wrap(m);
    }

    /** The tensor names, in order. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(parts.keySet()));
    }

    /** The (live) tensor called {@code name}. */
    public INDArray get(String name) {
        INDArray a = parts.get(name);
        if (a == null) {
            throw new IllegalArgumentException("No tensor '" + name + "' in this vector; it holds " + parts.keySet() + ".");
        }
        return a;
    }

    /** The (live) tensors by name, in order. */
    public Map<String, INDArray> asMap() {
        return Collections.unmodifiableMap(parts);
    }

    /** The number of scalar entries, {@code Σ size(x_i)}. */
    public long length() {
        long n = 0;
        for (INDArray a : parts.values()) {
            n += a.length();
        }
        return n;
    }

    /** Whether the vector holds no tensor (length 0). */
    public boolean isEmpty() {
        return parts.isEmpty();
    }

    /**
     * The element type shared by all tensors.
     *
     * @throws IllegalStateException if the vector is empty
     */
    public DataType dataType() {
        if (parts.isEmpty()) {
            throw new IllegalStateException("An empty ParamVector has no data type.");
        }
        return parts.values().iterator().next().dataType();
    }

    /** A deep copy. */
    public ParamVector dup() {
        return map(INDArray::dup);
    }

    /** A vector of zeros of the same names and shapes. */
    public ParamVector zerosLike() {
        return map(a -> Nd4j.zeros(a.dataType(), a.shape()));
    }

    /** {@code ⟨x, y⟩ = Σ_i Σ_j x_ij y_ij}, accumulated in double precision. */
    public double dot(ParamVector other) {
        checkCompatible(other);
        double s = 0;
        for (Map.Entry<String, INDArray> e : parts.entrySet()) {
            INDArray a = e.getValue();
            INDArray b = other.parts.get(e.getKey());
            s += dotInDouble(a, b);
        }
        return s;
    }

    /** {@code Σ a_i b_i} in double, read in place where both are contiguous (no temporary arrays). */
    private static double dotInDouble(INDArray a, INDArray b) {
        if (a.dataType() == b.dataType() && (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE)
                && plain(a) && plain(b)) {
            java.nio.ByteBuffer ba = a.data().asNio().order(java.nio.ByteOrder.nativeOrder());
            java.nio.ByteBuffer bb = b.data().asNio().order(java.nio.ByteOrder.nativeOrder());
            int n = (int) a.length();
            double s = 0;
            if (a.dataType() == DataType.FLOAT) {
                java.nio.FloatBuffer fa = ba.asFloatBuffer();
                java.nio.FloatBuffer fb = bb.asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    s += (double) fa.get(i) * fb.get(i);
                }
            } else {
                java.nio.DoubleBuffer da = ba.asDoubleBuffer();
                java.nio.DoubleBuffer db = bb.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    s += da.get(i) * db.get(i);
                }
            }
            return s;
        }
        return a.castTo(DataType.DOUBLE).mul(b.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
    }

    /** A C-order array that owns its whole data buffer from offset 0. */
    private static boolean plain(INDArray a) {
        return !a.isView() && a.offset() == 0 && a.data().length() == a.length() && (a.ordering() == 'c' || a.rank() <= 1);
    }

    /** The Euclidean norm {@code ‖x‖₂}. */
    public double norm2() {
        double s = 0;
        for (INDArray a : parts.values()) {
            double n = a.norm2Number().doubleValue();
            s += n * n;
        }
        return Math.sqrt(s);
    }

    /** The largest absolute entry {@code ‖x‖_∞}. */
    public double normMax() {
        double m = 0;
        for (INDArray a : parts.values()) {
            m = Math.max(m, a.amaxNumber().doubleValue());
        }
        return m;
    }

    /** {@code this ← this + alpha · x}; returns this. */
    public ParamVector axpyInPlace(double alpha, ParamVector x) {
        checkCompatible(x);
        for (Map.Entry<String, INDArray> e : parts.entrySet()) {
            INDArray y = e.getValue();
            INDArray xi = x.parts.get(e.getKey());
            if (xi.dataType() == y.dataType() && y.dataType().isFPType()) {
                // y ← α x + y in one pass, without the temporary α x.
                Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy(xi, y, y, alpha));
            } else {
                y.addi(xi.mul(alpha));
            }
        }
        return this;
    }

    /** {@code this ← alpha · this}; returns this. */
    public ParamVector scaleInPlace(double alpha) {
        for (INDArray a : parts.values()) {
            a.muli(alpha);
        }
        return this;
    }

    /** {@code this ← x} entry by entry; returns this. */
    public ParamVector assignInPlace(ParamVector x) {
        checkCompatible(x);
        for (Map.Entry<String, INDArray> e : parts.entrySet()) {
            e.getValue().assign(x.parts.get(e.getKey()));
        }
        return this;
    }

    /** {@code this + x} as a new vector. */
    public ParamVector add(ParamVector x) {
        return dup().axpyInPlace(1.0, x);
    }

    /** {@code this − x} as a new vector. */
    public ParamVector sub(ParamVector x) {
        return dup().axpyInPlace(-1.0, x);
    }

    /** {@code alpha · this} as a new vector. */
    public ParamVector scale(double alpha) {
        return dup().scaleInPlace(alpha);
    }

    /** Whether every entry is finite (no NaN or infinity). */
    public boolean isFinite() {
        return firstNonFinite() == null;
    }

    /** The name of the first tensor holding a NaN or infinite entry, or {@code null} if all are finite. */
    public String firstNonFinite() {
        for (Map.Entry<String, INDArray> e : parts.entrySet()) {
            INDArray a = e.getValue();
            // A finite sum proves every entry finite (NaN and ±∞ propagate through addition) and costs a
            // tenth of the element-wise condition checks, which run only when the sum is not finite (a
            // non-finite entry, or finite entries whose sum overflows).
            if (Double.isFinite(a.sumNumber().doubleValue())) {
                continue;
            }
            if (BooleanIndexing.or(a, Conditions.isNan()) || BooleanIndexing.or(a, Conditions.isInfinite())) {
                return e.getKey();
            }
        }
        return null;
    }

    /** All entries in order (tensors in name order, each in C order), as doubles. */
    public double[] toDoubleArray() {
        double[] out = new double[Math.toIntExact(length())];
        int offset = 0;
        for (INDArray a : parts.values()) {
            double[] d = a.dup('c').data().asDouble();
            System.arraycopy(d, 0, out, offset, d.length);
            offset += d.length;
        }
        return out;
    }

    /**
     * A vector shaped like this one holding {@code values} (in {@link #toDoubleArray()} order).
     *
     * @throws IllegalArgumentException if {@code values.length != length()}
     */
    public ParamVector withValues(double[] values) {
        if (values.length != length()) {
            throw new IllegalArgumentException("Expected " + length() + " values for tensors " + shapes() + ", got " + values.length + ".");
        }
        LinkedHashMap<String, INDArray> m = new LinkedHashMap<>();
        int offset = 0;
        for (Map.Entry<String, INDArray> e : parts.entrySet()) {
            INDArray a = e.getValue();
            int n = (int) a.length();
            double[] slice = Arrays.copyOfRange(values, offset, offset + n);
            m.put(e.getKey(), Nd4j.createFromArray(slice).castTo(a.dataType()).reshape('c', a.shape()));
            offset += n;
        }
        return new ParamVector(m);
    }

    /** The unit vector {@code e_index} shaped like this one. */
    public ParamVector unitVector(long index) {
        double[] v = new double[Math.toIntExact(length())];
        v[Math.toIntExact(index)] = 1.0;
        return withValues(v);
    }

    /** This vector's tensors converted to {@code type}. */
    public ParamVector castTo(DataType type) {
        return map(a -> a.castTo(type));
    }

    /** Names and shapes, e.g. {@code {w0=[64, 10], b0=[10]}}. */
    public String shapes() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, INDArray> e : parts.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=').append(Arrays.toString(e.getValue().shape()));
        }
        return sb.append('}').toString();
    }

    /**
     * @throws IllegalArgumentException naming both layouts if {@code other}'s names or shapes differ
     */
    public void checkCompatible(ParamVector other) {
        Objects.requireNonNull(other, "other");
        boolean ok = other.parts.size() == parts.size();
        if (ok) {
            var it = other.parts.entrySet().iterator();
            for (Map.Entry<String, INDArray> e : parts.entrySet()) {
                Map.Entry<String, INDArray> o = it.next();
                if (!e.getKey().equals(o.getKey()) || !Arrays.equals(e.getValue().shape(), o.getValue().shape())) {
                    ok = false;
                    break;
                }
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("Parameter vectors do not match: " + shapes() + " vs " + other.shapes() + ".");
        }
    }

    private ParamVector map(Function<INDArray, INDArray> f) {
        LinkedHashMap<String, INDArray> m = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : parts.entrySet()) {
            m.put(e.getKey(), f.apply(e.getValue()));
        }
        return new ParamVector(m);
    }

    @Override
    public String toString() {
        return "ParamVector" + shapes();
    }
}
