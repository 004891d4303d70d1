package org.hypergrad4j.engine;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * {@code Z = α · op(A) op(B)} for rank-2 operands, with {@code op} a transpose or not, and optionally
 * the transposed result ({@code (AB)ᵀ = BᵀAᵀ}, so no transpose is materialised). Row-major CBLAS
 * needs no operand transposes for C-order data (ND4J calls {@code gemm(T, T)} on C-order operands).
 * Small products run as Java loops (no native call); larger ones call the BLAS on off-heap staging
 * buffers, re-copied only when the operand's values changed (the engine versions every tensor).
 */
final class MatMul implements Kernel {
    /** Multiply-adds below which a Java loop beats the native call and staging copies. */
    static final long JAVA_LIMIT = 32L * 32 * 32;

    private final boolean transposeA;
    private final boolean transposeB;
    private final boolean transposeResult;
    private final double alpha;
    private final Staging stageA = new Staging();
    private final Staging stageB = new Staging();
    private final Staging stageC = new Staging();

    MatMul(boolean transposeA, boolean transposeB, boolean transposeResult, double alpha) {
        this.transposeA = transposeA;
        this.transposeB = transposeB;
        this.transposeResult = transposeResult;
        this.alpha = alpha;
    }

    @Override
    public String describe() {
        return "matmul";
    }

    @Override
    public void run(Tensor[] in, Tensor[] out) {
        Tensor a = in[0];
        Tensor b = in[1];
        boolean ta = transposeA;
        boolean tb = transposeB;
        if (transposeResult) {
            // Zᵀ = op(A) op(B)  ⇔  Z = op(B)ᵀ op(A)ᵀ
            Tensor t = a;
            a = b;
            b = t;
            boolean tt = ta;
            ta = !tb;
            tb = !tt;
        }
        int m = (int) (ta ? a.shape[1] : a.shape[0]);
        int k = (int) (ta ? a.shape[0] : a.shape[1]);
        int n = (int) (tb ? b.shape[0] : b.shape[1]);
        Tensor z = out[0];
        int lda = (int) a.shape[1];
        int ldb = (int) b.shape[1];
        if ((long) m * n * k <= JAVA_LIMIT) {
            if (z.isFloat()) {
                smallF(a.f, b.f, z.f, m, n, k, lda, ldb, ta, tb, (float) alpha);
            } else {
                smallD(a.d, b.d, z.d, m, n, k, lda, ldb, ta, tb, alpha);
            }
            return;
        }
        int tA = ta ? openblas.CblasTrans : openblas.CblasNoTrans;
        int tB = tb ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (z.isFloat()) {
            FloatPointer pa = stageA.floats(a);
            FloatPointer pb = stageB.floats(b);
            FloatPointer pc = stageC.floatsOut(z.length);
            openblas.cblas_sgemm(openblas.CblasRowMajor, tA, tB, m, n, k, (float) alpha, pa, lda, pb, ldb, 0f, pc, n);
            pc.get(z.f, 0, z.length);
        } else {
            DoublePointer pa = stageA.doubles(a);
            DoublePointer pb = stageB.doubles(b);
            DoublePointer pc = stageC.doublesOut(z.length);
            openblas.cblas_dgemm(openblas.CblasRowMajor, tA, tB, m, n, k, alpha, pa, lda, pb, ldb, 0.0, pc, n);
            pc.get(z.d, 0, z.length);
        }
    }

    private static void smallF(float[] a, float[] b, float[] c, int m, int n, int k, int lda, int ldb, boolean ta, boolean tb, float alpha) {
        for (int i = 0; i < m; i++) {
            int ci = i * n;
            for (int j = 0; j < n; j++) {
                c[ci + j] = 0f;
            }
            for (int p = 0; p < k; p++) {
                float av = alpha * (ta ? a[p * lda + i] : a[i * lda + p]);
                if (tb) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += av * b[j * ldb + p];
                    }
                } else {
                    int bp = p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += av * b[bp + j];
                    }
                }
            }
        }
    }

    private static void smallD(double[] a, double[] b, double[] c, int m, int n, int k, int lda, int ldb, boolean ta, boolean tb, double alpha) {
        for (int i = 0; i < m; i++) {
            int ci = i * n;
            for (int j = 0; j < n; j++) {
                c[ci + j] = 0.0;
            }
            for (int p = 0; p < k; p++) {
                double av = alpha * (ta ? a[p * lda + i] : a[i * lda + p]);
                if (tb) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += av * b[j * ldb + p];
                    }
                } else {
                    int bp = p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += av * b[bp + j];
                    }
                }
            }
        }
    }

    /** An off-heap copy of one operand, refreshed when the operand's storage or version changes. */
    private static final class Staging {
        private FloatPointer f;
        private DoublePointer d;
        private long capacity;
        private Object stagedStorage;
        private long stagedVersion = -1;

        FloatPointer floats(Tensor t) {
            if (t.source != null && t.source.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT) {
                // A leaf's own off-heap array holds the same values: read it in place.
                stagedStorage = null;
                return new FloatPointer(t.source.data().addressPointer());
            }
            if (f == null || capacity < t.length) {
                f = new FloatPointer(Math.max(1, t.length));
                capacity = t.length;
                stagedStorage = null;
            }
            if (stagedStorage != t.f || stagedVersion != t.version) {
                f.put(t.f, 0, t.length);
                stagedStorage = t.f;
                stagedVersion = t.version;
            }
            return f;
        }

        DoublePointer doubles(Tensor t) {
            if (t.source != null && t.source.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE) {
                stagedStorage = null;
                return new DoublePointer(t.source.data().addressPointer());
            }
            if (d == null || capacity < t.length) {
                d = new DoublePointer(Math.max(1, t.length));
                capacity = t.length;
                stagedStorage = null;
            }
            if (stagedStorage != t.d || stagedVersion != t.version) {
                d.put(t.d, 0, t.length);
                stagedStorage = t.d;
                stagedVersion = t.version;
            }
            return d;
        }

        FloatPointer floatsOut(int n) {
            if (f == null || capacity < n) {
                f = new FloatPointer(Math.max(1, n));
                capacity = n;
            }
            return f;
        }

        DoublePointer doublesOut(int n) {
            if (d == null || capacity < n) {
                d = new DoublePointer(Math.max(1, n));
                capacity = n;
            }
            return d;
        }
    }
}
