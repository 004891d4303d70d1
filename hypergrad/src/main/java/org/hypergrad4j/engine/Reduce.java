package org.hypergrad4j.engine;

import java.util.Arrays;

/**
 * Sum, mean and max over a set of axes (all axes when none are given), with or without kept
 * dimensions: the output's values do not depend on whether the axes are kept, only its shape, which
 * the op's shape function gives. Accumulates in double.
 */
final class Reduce implements Kernel {
    enum Kind { SUM, MEAN, MAX }

    private final Kind kind;
    private final int[] axes;

    /** @param axes the reduced axes, or {@code null}/empty for all */
    Reduce(Kind kind, int[] axes) {
        this.kind = kind;
        this.axes = axes == null ? new int[0] : axes.clone();
    }

    @Override
    public String describe() {
        return "reduce:" + kind;
    }

    @Override
    public void run(Tensor[] in, Tensor[] out) {
        Tensor x = in[0];
        Tensor z = out[0];
        int rank = x.shape.length;
        boolean[] reduced = new boolean[rank];
        if (axes.length == 0) {
            Arrays.fill(reduced, true);
        } else {
            for (int a : axes) {
                reduced[a < 0 ? a + rank : a] = true;
            }
        }
        // Output strides over the input's axes: 0 along reduced axes.
        long[] keptShape = new long[rank];
        for (int i = 0; i < rank; i++) {
            keptShape[i] = reduced[i] ? 1 : x.shape[i];
        }
        int outLength = Tensor.lengthOf(keptShape);
        long count = outLength == 0 ? 0 : x.length / outLength;
        double[] acc = new double[outLength];
        if (kind == Kind.MAX) {
            Arrays.fill(acc, Double.NEGATIVE_INFINITY);
        }
        int firstKept = 0;
        while (firstKept < rank && reduced[firstKept]) {
            firstKept++;
        }
        int lastKept = rank - 1;
        while (lastKept >= 0 && reduced[lastKept]) {
            lastKept--;
        }
        boolean keptContiguous = true;
        for (int i = firstKept; i <= lastKept; i++) {
            keptContiguous &= !reduced[i];
        }
        if (outLength == 1) {
            acc[0] = kind == Kind.MAX ? maxRange(x, 0, x.length) : sumRange(x, 0, x.length);
        } else if (keptContiguous && firstKept == 0) {
            // Reduced axes trail the kept ones: contiguous groups.
            int size = x.length / outLength;
            for (int r = 0; r < outLength; r++) {
                acc[r] = kind == Kind.MAX ? maxRange(x, r * size, size) : sumRange(x, r * size, size);
            }
        } else if (keptContiguous && lastKept == rank - 1) {
            // Reduced axes lead the kept ones: accumulate rows of length outLength.
            int rows = x.length / outLength;
            for (int r = 0; r < rows; r++) {
                int base = r * outLength;
                if (kind == Kind.MAX) {
                    for (int j = 0; j < outLength; j++) {
                        acc[j] = Math.max(acc[j], x.getDouble(base + j));
                    }
                } else if (x.isFloat()) {
                    for (int j = 0; j < outLength; j++) {
                        acc[j] += x.f[base + j];
                    }
                } else if (x.isDouble()) {
                    for (int j = 0; j < outLength; j++) {
                        acc[j] += x.d[base + j];
                    }
                } else {
                    for (int j = 0; j < outLength; j++) {
                        acc[j] += x.l[base + j];
                    }
                }
            }
        } else {
            long[] st = Broadcasting.strides(keptShape, x.shape);
            int[] target = Broadcasting.indices(st, x.shape, x.length);
            for (int i = 0; i < x.length; i++) {
                double v = x.getDouble(i);
                int t = target[i];
                acc[t] = kind == Kind.MAX ? Math.max(acc[t], v) : acc[t] + v;
            }
        }
        for (int i = 0; i < outLength; i++) {
            double v = kind == Kind.MEAN ? acc[i] / count : acc[i];
            if (z.isFloat()) {
                z.f[i] = (float) v;
            } else if (z.isDouble()) {
                z.d[i] = v;
            } else {
                z.l[i] = (long) v;
            }
        }
    }

    private static double sumRange(Tensor x, int from, int n) {
        double s = 0;
        if (x.isFloat()) {
            float[] a = x.f;
            for (int i = from; i < from + n; i++) {
                s += a[i];
            }
        } else if (x.isDouble()) {
            double[] a = x.d;
            for (int i = from; i < from + n; i++) {
                s += a[i];
            }
        } else {
            for (int i = from; i < from + n; i++) {
                s += x.l[i];
            }
        }
        return s;
    }

    private static double maxRange(Tensor x, int from, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) {
            m = Math.max(m, x.getDouble(i));
        }
        return m;
    }
}
