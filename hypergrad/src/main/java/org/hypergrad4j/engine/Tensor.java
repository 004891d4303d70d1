package org.hypergrad4j.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dense C-order tensor held in a Java array: {@code float[]} for FLOAT, {@code double[]} for
 * DOUBLE, {@code long[]} for every integer type (shape-like values only). Heap arrays let the JIT
 * vectorise the elementwise loops; values are copied to and from ND4J at the graph's boundary only.
 */
final class Tensor {
    final DataType type;
    final long[] shape;
    final int length;
    float[] f;
    double[] d;
    long[] l;
    /** The engine clock at which these values were last written (BLAS staging compares it). */
    long version = -1;

    private Tensor(DataType type, long[] shape, float[] f, double[] d, long[] l) {
        this.type = type;
        this.shape = shape;
        this.length = lengthOf(shape);
        this.f = f;
        this.d = d;
        this.l = l;
    }

    static Tensor allocate(DataType type, long[] shape) {
        int n = lengthOf(shape);
        return switch (kind(type)) {
            case FLOAT -> new Tensor(type, shape.clone(), new float[n], null, null);
            case DOUBLE -> new Tensor(type, shape.clone(), null, new double[n], null);
            default -> new Tensor(type, shape.clone(), null, null, new long[n]);
        };
    }

    /** A tensor sharing this one's storage with another shape of the same length (reshape, squeeze, identity). */
    Tensor view(long[] newShape) {
        if (lengthOf(newShape) != length) {
            throw new IllegalStateException("Cannot view " + Arrays.toString(shape) + " as " + Arrays.toString(newShape));
        }
        return new Tensor(type, newShape.clone(), f, d, l);
    }

    /** The storage kind of a data type: FLOAT, DOUBLE, or LONG for every integer or boolean type. */
    static DataType kind(DataType type) {
        if (type == DataType.FLOAT || type == DataType.DOUBLE) {
            return type;
        }
        if (type.isIntType() || type == DataType.BOOL) {
            return DataType.LONG;
        }
        throw new IllegalArgumentException("The graph engine computes in FLOAT, DOUBLE or integer types; got " + type + ".");
    }

    static boolean supported(DataType type) {
        return type == DataType.FLOAT || type == DataType.DOUBLE || type.isIntType() || type == DataType.BOOL;
    }

    static int lengthOf(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalStateException("Unresolved dimension in shape " + Arrays.toString(shape));
            }
            n *= s;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Tensor of shape " + Arrays.toString(shape) + " has more than 2^31 elements.");
        }
        return (int) n;
    }

    boolean isFloat() {
        return f != null;
    }

    boolean isDouble() {
        return d != null;
    }

    double getDouble(int i) {
        if (f != null) {
            return f[i];
        }
        if (d != null) {
            return d[i];
        }
        return l[i];
    }

    /** A new ND4J array (C order) with a copy of the values, in {@code type}. */
    INDArray toINDArray() {
        DataType storage = f != null ? DataType.FLOAT : d != null ? DataType.DOUBLE : DataType.LONG;
        INDArray out = Nd4j.createUninitialized(storage, shape, 'c');
        if (length > 0) {
            // One bulk copy: Nd4j.create(float[], ...) copies element by element.
            ByteBuffer bytes = out.data().asNio().order(ByteOrder.nativeOrder());
            if (f != null) {
                bytes.asFloatBuffer().put(0, f, 0, length);
            } else if (d != null) {
                bytes.asDoubleBuffer().put(0, d, 0, length);
            } else {
                bytes.asLongBuffer().put(0, l, 0, length);
            }
        }
        return out.dataType() == type ? out : out.castTo(type);
    }

    /**
     * Loads {@code array}'s values (cast to this tensor's type) into {@code scratch}, and reports whether
     * they differ from this tensor's; the caller swaps storage when they do.
     */
    static boolean differs(Tensor current, Tensor scratch) {
        if (current.f != null) {
            return Arrays.mismatch(current.f, scratch.f) >= 0;
        }
        if (current.d != null) {
            return Arrays.mismatch(current.d, scratch.d) >= 0;
        }
        return Arrays.mismatch(current.l, scratch.l) >= 0;
    }

    /** Copies {@code array} (any layout) into this tensor's storage; shapes must have equal length. */
    void load(INDArray array) {
        INDArray a = array;
        if (a.dataType() != (f != null ? DataType.FLOAT : d != null ? DataType.DOUBLE : DataType.LONG)) {
            a = a.castTo(f != null ? DataType.FLOAT : d != null ? DataType.DOUBLE : DataType.LONG);
        }
        if (a.isView() || a.ordering() != 'c' || a.offset() != 0 || a.data().length() != a.length()) {
            a = a.dup('c');
        }
        if (a.length() != length) {
            throw new IllegalStateException("Array of length " + a.length() + " loaded into a tensor of length " + length);
        }
        if (length == 0) {
            return;
        }
        ByteBuffer bytes = a.data().asNio().order(ByteOrder.nativeOrder());
        if (f != null) {
            bytes.asFloatBuffer().get(0, f, 0, length);
        } else if (d != null) {
            bytes.asDoubleBuffer().get(0, d, 0, length);
        } else {
            bytes.asLongBuffer().get(0, l, 0, length);
        }
    }

    /** Swaps storage with {@code other} (same type and length). */
    void swapStorage(Tensor other) {
        float[] tf = f;
        f = other.f;
        other.f = tf;
        double[] td = d;
        d = other.d;
        other.d = td;
        long[] tl = l;
        l = other.l;
        other.l = tl;
    }

    long[] longValues() {
        long[] r = new long[length];
        for (int i = 0; i < length; i++) {
            r[i] = (long) getDouble(i);
        }
        return r;
    }

    @Override
    public String toString() {
        return type + Arrays.toString(shape);
    }
}
