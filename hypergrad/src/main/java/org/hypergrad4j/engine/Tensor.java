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
    /**
     * For a leaf: the C-contiguous ND4J array of the leaf's type whose values this tensor holds, so that
     * the BLAS can read it in place (set when the leaf is refreshed, {@code null} otherwise).
     */
    INDArray source;

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

    /** Writes this tensor's values into {@code target} (of the same length; cast and laid out as it is). */
    void copyInto(INDArray target, String name) {
        if (target.length() != length) {
            throw new IllegalArgumentException("Output '" + name + "' has " + length + " values but its target array has " + target.length() + ".");
        }
        DataType storage = f != null ? DataType.FLOAT : d != null ? DataType.DOUBLE : DataType.LONG;
        if (target.dataType() != storage || !contiguous(target) || length == 0) {
            target.assign(toINDArray().reshape(target.shape()));
            return;
        }
        int base = (int) target.offset();
        ByteBuffer bytes = target.data().asNio().order(ByteOrder.nativeOrder());
        if (f != null) {
            bytes.asFloatBuffer().put(base, f, 0, length);
        } else if (d != null) {
            bytes.asDoubleBuffer().put(base, d, 0, length);
        } else {
            bytes.asLongBuffer().put(base, l, 0, length);
        }
    }

    /** Copies {@code array} (any layout) into this tensor's storage; shapes must have equal length. */
    void load(INDArray array) {
        loadIfChanged(array, true);
    }

    /**
     * Compares {@code array}'s values with this tensor's chunk by chunk (a chunk stays in cache) and copies
     * from the first differing chunk on; returns whether anything differed. Unchanged values cost one read.
     */
    boolean loadIfChanged(INDArray array) {
        return loadIfChanged(array, false);
    }

    /** Whether {@code a}'s elements lie in C order, one after another, in its data buffer from its offset on. */
    static boolean contiguous(INDArray a) {
        if (a.length() == 0) {
            return true;
        }
        if (a.ordering() != 'c' && a.rank() > 1) {
            return false;
        }
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return a.offset() + a.length() <= a.data().length();
    }

    private static final int CHUNK = 4096;
    private static final ThreadLocal<float[]> FLOAT_CHUNK = ThreadLocal.withInitial(() -> new float[CHUNK]);
    private static final ThreadLocal<double[]> DOUBLE_CHUNK = ThreadLocal.withInitial(() -> new double[CHUNK]);
    private static final ThreadLocal<long[]> LONG_CHUNK = ThreadLocal.withInitial(() -> new long[CHUNK]);

    private boolean loadIfChanged(INDArray array, boolean always) {
        DataType storage = f != null ? DataType.FLOAT : d != null ? DataType.DOUBLE : DataType.LONG;
        INDArray a = array.dataType() == storage ? array : array.castTo(storage);
        if (!contiguous(a)) {
            a = a.dup('c');
        }
        if (a.length() != length) {
            throw new IllegalStateException("Array of length " + a.length() + " loaded into a tensor of length " + length);
        }
        if (length == 0) {
            return false;
        }
        // A contiguous C-order view (e.g. one tensor of a flat parameter vector) is read in place at its offset.
        int base = (int) a.offset();
        ByteBuffer bytes = a.data().asNio().order(ByteOrder.nativeOrder());
        if (f != null) {
            java.nio.FloatBuffer src = bytes.asFloatBuffer();
            float[] chunk = FLOAT_CHUNK.get();
            for (int off = 0; off < length; off += CHUNK) {
                int n = Math.min(CHUNK, length - off);
                if (!always) {
                    src.get(base + off, chunk, 0, n);
                    if (Arrays.mismatch(chunk, 0, n, f, off, off + n) < 0) {
                        continue;
                    }
                }
                src.get(base + off, f, off, length - off);
                return true;
            }
        } else if (d != null) {
            java.nio.DoubleBuffer src = bytes.asDoubleBuffer();
            double[] chunk = DOUBLE_CHUNK.get();
            for (int off = 0; off < length; off += CHUNK) {
                int n = Math.min(CHUNK, length - off);
                if (!always) {
                    src.get(base + off, chunk, 0, n);
                    if (Arrays.mismatch(chunk, 0, n, d, off, off + n) < 0) {
                        continue;
                    }
                }
                src.get(base + off, d, off, length - off);
                return true;
            }
        } else {
            java.nio.LongBuffer src = bytes.asLongBuffer();
            long[] chunk = LONG_CHUNK.get();
            for (int off = 0; off < length; off += CHUNK) {
                int n = Math.min(CHUNK, length - off);
                if (!always) {
                    src.get(base + off, chunk, 0, n);
                    if (Arrays.mismatch(chunk, 0, n, l, off, off + n) < 0) {
                        continue;
                    }
                }
                src.get(base + off, l, off, length - off);
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return type + Arrays.toString(shape);
    }
}
