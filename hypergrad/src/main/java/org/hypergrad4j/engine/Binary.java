package org.hypergrad4j.engine;

/**
 * Broadcasting binary kernels {@code z = x ∘ y} (NumPy broadcasting, as ND4J's pairwise custom ops).
 * Same-shape operands, a scalar operand, a row vector repeated over leading axes (a bias) and a column
 * repeated along the last axis run as contiguous loops; any other broadcast expands the operands first.
 */
final class Binary implements Kernel {
    enum Op {
        ADD, SUB, MUL, DIV, RSUB, RDIV, POW, RPOW, MAX;

        /** {@code op'} with {@code op(s, e) = op'(e, s)}. */
        Op swapped() {
            return switch (this) {
                case SUB -> RSUB;
                case RSUB -> SUB;
                case DIV -> RDIV;
                case RDIV -> DIV;
                case POW -> RPOW;
                case RPOW -> POW;
                default -> this;
            };
        }

        double apply(double x, double y) {
            return switch (this) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
                case RSUB -> y - x;
                case RDIV -> y / x;
                case POW -> Math.pow(x, y);
                case RPOW -> Math.pow(y, x);
                case MAX -> Math.max(x, y);
            };
        }
    }

    private enum Layout { FULL, SCALAR, ROW, COLUMN, OTHER }

    private final Op op;
    private float[] scratchXf;
    private float[] scratchYf;
    private double[] scratchXd;
    private double[] scratchYd;

    Binary(Op op) {
        this.op = op;
    }

    @Override
    public String describe() {
        return "binary:" + op;
    }

    @Override
    public void run(Tensor[] in, Tensor[] out) {
        Tensor x = in[0];
        Tensor y = in[1];
        Tensor z = out[0];
        boolean f = x.isFloat() && y.isFloat() && z.isFloat();
        boolean d = x.isDouble() && y.isDouble() && z.isDouble();
        if (!f && !d) {
            generic(x, y, z);
            return;
        }
        int n = z.length;
        Layout lx = layout(x.shape, z.shape);
        Layout ly = layout(y.shape, z.shape);
        if (lx == Layout.FULL && ly == Layout.FULL) {
            same(f, x, 0, y, 0, z, 0, n, op);
        } else if (lx == Layout.FULL && ly == Layout.SCALAR) {
            right(f, x, 0, y.getDouble(0), z, 0, n, op);
        } else if (lx == Layout.SCALAR && ly == Layout.FULL) {
            right(f, y, 0, x.getDouble(0), z, 0, n, op.swapped());
        } else if (lx == Layout.SCALAR && ly == Layout.SCALAR) {
            double v = op.apply(x.getDouble(0), y.getDouble(0));
            for (int i = 0; i < n; i++) {
                set(z, i, v);
            }
        } else if (lx == Layout.FULL && ly == Layout.ROW) {
            int p = y.length;
            for (int r = 0; r < n; r += p) {
                same(f, x, r, y, 0, z, r, p, op);
            }
        } else if (lx == Layout.ROW && ly == Layout.FULL) {
            int p = x.length;
            for (int r = 0; r < n; r += p) {
                same(f, x, 0, y, r, z, r, p, op);
            }
        } else if (lx == Layout.FULL && ly == Layout.COLUMN) {
            int inner = n / y.length;
            for (int r = 0; r < y.length; r++) {
                right(f, x, r * inner, y.getDouble(r), z, r * inner, inner, op);
            }
        } else if (lx == Layout.COLUMN && ly == Layout.FULL) {
            int inner = n / x.length;
            for (int r = 0; r < x.length; r++) {
                right(f, y, r * inner, x.getDouble(r), z, r * inner, inner, op.swapped());
            }
        } else {
            Tensor ex = lx == Layout.FULL ? x : expand(x, z.shape, true);
            Tensor ey = ly == Layout.FULL ? y : expand(y, z.shape, false);
            same(f, ex, 0, ey, 0, z, 0, n, op);
        }
    }

    private static void set(Tensor z, int i, double v) {
        if (z.isFloat()) {
            z.f[i] = (float) v;
        } else if (z.isDouble()) {
            z.d[i] = v;
        } else {
            z.l[i] = (long) v;
        }
    }

    private void generic(Tensor x, Tensor y, Tensor z) {
        long[] sx = Broadcasting.strides(x.shape, z.shape);
        long[] sy = Broadcasting.strides(y.shape, z.shape);
        int[] ix = Broadcasting.indices(sx, z.shape, z.length);
        int[] iy = Broadcasting.indices(sy, z.shape, z.length);
        for (int i = 0; i < z.length; i++) {
            set(z, i, op.apply(x.getDouble(ix[i]), y.getDouble(iy[i])));
        }
    }

    private Tensor expand(Tensor t, long[] shape, boolean first) {
        int n = Tensor.lengthOf(shape);
        int[] idx = Broadcasting.indices(Broadcasting.strides(t.shape, shape), shape, n);
        Tensor e = Tensor.allocate(t.type, new long[] {0});
        if (t.isFloat()) {
            float[] buf = first ? scratchXf : scratchYf;
            if (buf == null || buf.length < n) {
                buf = new float[n];
            }
            for (int i = 0; i < n; i++) {
                buf[i] = t.f[idx[i]];
            }
            if (first) {
                scratchXf = buf;
            } else {
                scratchYf = buf;
            }
            e.f = buf;
        } else {
            double[] buf = first ? scratchXd : scratchYd;
            if (buf == null || buf.length < n) {
                buf = new double[n];
            }
            for (int i = 0; i < n; i++) {
                buf[i] = t.d[idx[i]];
            }
            if (first) {
                scratchXd = buf;
            } else {
                scratchYd = buf;
            }
            e.d = buf;
        }
        return e;
    }

    private static Layout layout(long[] s, long[] z) {
        int lead = z.length - s.length;
        if (lead < 0) {
            return Layout.OTHER;
        }
        boolean full = true;
        boolean scalar = true;
        for (int i = 0; i < s.length; i++) {
            full &= s[i] == z[lead + i];
            scalar &= s[i] == 1;
        }
        if (full && lead == 0 || full && allOnes(z, 0, lead)) {
            return Layout.FULL;
        }
        if (scalar) {
            return Layout.SCALAR;
        }
        // ROW: padded shape is [1, ..., 1, z[k], ..., z[r-1]]; COLUMN: [z[0], ..., z[k-1], 1, ..., 1].
        long[] p = new long[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = i < lead ? 1 : s[i - lead];
        }
        int k = 0;
        while (k < p.length && p[k] == 1) {
            k++;
        }
        boolean row = true;
        for (int i = k; i < p.length; i++) {
            row &= p[i] == z[i];
        }
        if (row) {
            return Layout.ROW;
        }
        int m = p.length;
        while (m > 0 && p[m - 1] == 1) {
            m--;
        }
        boolean column = true;
        for (int i = 0; i < m; i++) {
            column &= p[i] == z[i];
        }
        return column ? Layout.COLUMN : Layout.OTHER;
    }

    private static boolean allOnes(long[] z, int from, int to) {
        for (int i = from; i < to; i++) {
            if (z[i] != 1) {
                return false;
            }
        }
        return true;
    }

    private static void same(boolean f, Tensor x, int xo, Tensor y, int yo, Tensor z, int zo, int n, Op op) {
        if (f) {
            sameF(x.f, xo, y.f, yo, z.f, zo, n, op);
        } else {
            sameD(x.d, xo, y.d, yo, z.d, zo, n, op);
        }
    }

    private static void right(boolean f, Tensor x, int xo, double s, Tensor z, int zo, int n, Op op) {
        if (f) {
            rightF(x.f, xo, (float) s, z.f, zo, n, op);
        } else {
            rightD(x.d, xo, s, z.d, zo, n, op);
        }
    }

    private static void sameF(float[] x, int xo, float[] y, int yo, float[] z, int zo, int n, Op op) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] + y[yo + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] - y[yo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] * y[yo + i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] / y[yo + i];
                }
            }
            case RSUB -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = y[yo + i] - x[xo + i];
                }
            }
            case RDIV -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = y[yo + i] / x[xo + i];
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = Math.max(x[xo + i], y[yo + i]);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = (float) op.apply(x[xo + i], y[yo + i]);
                }
            }
        }
    }

    private static void sameD(double[] x, int xo, double[] y, int yo, double[] z, int zo, int n, Op op) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] + y[yo + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] - y[yo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] * y[yo + i];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = op.apply(x[xo + i], y[yo + i]);
                }
            }
        }
    }

    private static void rightF(float[] x, int xo, float s, float[] z, int zo, int n, Op op) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] + s;
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] - s;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] * s;
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] / s;
                }
            }
            case RSUB -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = s - x[xo + i];
                }
            }
            case RDIV -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = s / x[xo + i];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = (float) op.apply(x[xo + i], s);
                }
            }
        }
    }

    private static void rightD(double[] x, int xo, double s, double[] z, int zo, int n, Op op) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] + s;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] * s;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = op.apply(x[xo + i], s);
                }
            }
        }
    }
}
