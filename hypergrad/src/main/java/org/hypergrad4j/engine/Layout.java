package org.hypergrad4j.engine;

import java.util.Arrays;

/** Kernels that move or fill values without arithmetic: permutations, views, fills, shapes. */
final class Layout {
    private Layout() {
    }

    /** A view of the input with the op's output shape (reshape in C order, squeeze, expandDims, identity). */
    static Kernel view(String what) {
        return new Kernel() {
            @Override
            public void run(Tensor[] in, Tensor[] out) {
                throw new IllegalStateException("View kernels are bound by the engine, not run.");
            }

            @Override
            public boolean aliasesInput() {
                return true;
            }

            @Override
            public String describe() {
                return "view:" + what;
            }
        };
    }

    /** {@code out[i_0..i_r] = in[i_{p⁻¹}]}: output axis {@code k} is input axis {@code perm[k]}; {@code null} reverses the axes. */
    static Kernel permute(int[] perm) {
        return new Kernel() {
            @Override
            public void run(Tensor[] in, Tensor[] out) {
                Tensor x = in[0];
                Tensor z = out[0];
                int rank = x.shape.length;
                int[] p = perm;
                if (p == null || p.length == 0) {
                    p = new int[rank];
                    for (int i = 0; i < rank; i++) {
                        p[i] = rank - 1 - i;
                    }
                }
                if (rank == 2 && p[0] == 1) {
                    transpose2(x, z, (int) x.shape[0], (int) x.shape[1]);
                    return;
                }
                long[] inStrides = Broadcasting.strides(x.shape);
                long[] st = new long[rank];
                for (int k = 0; k < rank; k++) {
                    st[k] = inStrides[p[k]];
                }
                int[] idx = Broadcasting.indices(st, z.shape, z.length);
                if (x.isFloat()) {
                    for (int i = 0; i < z.length; i++) {
                        z.f[i] = x.f[idx[i]];
                    }
                } else if (x.isDouble()) {
                    for (int i = 0; i < z.length; i++) {
                        z.d[i] = x.d[idx[i]];
                    }
                } else {
                    for (int i = 0; i < z.length; i++) {
                        z.l[i] = x.l[idx[i]];
                    }
                }
            }

            @Override
            public String describe() {
                return "permute";
            }
        };
    }

    private static void transpose2(Tensor x, Tensor z, int rows, int cols) {
        final int block = 32;
        for (int r0 = 0; r0 < rows; r0 += block) {
            int r1 = Math.min(rows, r0 + block);
            for (int c0 = 0; c0 < cols; c0 += block) {
                int c1 = Math.min(cols, c0 + block);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        if (x.isFloat()) {
                            z.f[c * rows + r] = x.f[r * cols + c];
                        } else if (x.isDouble()) {
                            z.d[c * rows + r] = x.d[r * cols + c];
                        } else {
                            z.l[c * rows + r] = x.l[r * cols + c];
                        }
                    }
                }
            }
        }
    }

    /** Fills the output with {@code value} (zerosLike, onesLike). */
    static Kernel fill(double value) {
        return new Kernel() {
            @Override
            public void run(Tensor[] in, Tensor[] out) {
                Tensor z = out[0];
                if (z.isFloat()) {
                    Arrays.fill(z.f, (float) value);
                } else if (z.isDouble()) {
                    Arrays.fill(z.d, value);
                } else {
                    Arrays.fill(z.l, (long) value);
                }
            }

            @Override
            public boolean readsInputValues() {
                return false;
            }

            @Override
            public String describe() {
                return "fill";
            }
        };
    }

    /** The input's shape as a vector. */
    static Kernel shapeOf() {
        return new Kernel() {
            @Override
            public void run(Tensor[] in, Tensor[] out) {
                long[] s = in[0].shape;
                for (int i = 0; i < s.length; i++) {
                    if (out[0].l != null) {
                        out[0].l[i] = s[i];
                    } else if (out[0].f != null) {
                        out[0].f[i] = s[i];
                    } else {
                        out[0].d[i] = s[i];
                    }
                }
            }

            @Override
            public boolean readsInputValues() {
                return false;
            }

            @Override
            public String describe() {
                return "shape";
            }
        };
    }

    /** Softmax of a rank-2 tensor along {@code dim} (0 or 1): {@code exp(x − max) / Σ exp(x − max)}. */
    static Kernel softmax(int dim) {
        return new Kernel() {
            @Override
            public void run(Tensor[] in, Tensor[] out) {
                Tensor x = in[0];
                Tensor z = out[0];
                int rows = (int) x.shape[0];
                int cols = (int) x.shape[1];
                int d = dim < 0 ? dim + 2 : dim;
                int groups = d == 1 ? rows : cols;
                int size = d == 1 ? cols : rows;
                int step = d == 1 ? 1 : cols;
                for (int g = 0; g < groups; g++) {
                    int base = d == 1 ? g * cols : g;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < size; i++) {
                        max = Math.max(max, x.getDouble(base + i * step));
                    }
                    double sum = 0;
                    for (int i = 0; i < size; i++) {
                        sum += Math.exp(x.getDouble(base + i * step) - max);
                    }
                    for (int i = 0; i < size; i++) {
                        double v = Math.exp(x.getDouble(base + i * step) - max) / sum;
                        if (z.isFloat()) {
                            z.f[base + i * step] = (float) v;
                        } else {
                            z.d[base + i * step] = v;
                        }
                    }
                }
            }

            @Override
            public String describe() {
                return "softmax";
            }
        };
    }

    /** {@code x + b} with the bias along axis 1 of a rank-2 (last axis) or NCHW rank-4 input. */
    static Kernel biasAdd() {
        Binary add = new Binary(Binary.Op.ADD);
        return new Kernel() {
            @Override
            public void run(Tensor[] in, Tensor[] out) {
                Tensor x = in[0];
                Tensor b = in[1];
                if (x.shape.length == 2) {
                    add.run(in, out);
                    return;
                }
                // NCHW: b[c] added to every (n, c, h, w).
                Tensor column = b.view(new long[] {b.length, 1, 1});
                add.run(new Tensor[] {x, column}, out);
            }

            @Override
            public String describe() {
                return "biasAdd";
            }
        };
    }
}
