package org.hypergrad4j.engine;

import org.hypergrad4j.autodiff.internal.OpArgs;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ops.BaseScalarOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BiasAdd;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.reduce.same.Max;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.Pow;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarDivision;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseDivision;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.shape.ExpandDims;
import org.nd4j.linalg.api.ops.impl.shape.OnesLike;
import org.nd4j.linalg.api.ops.impl.shape.Permute;
import org.nd4j.linalg.api.ops.impl.shape.Reshape;
import org.nd4j.linalg.api.ops.impl.shape.Shape;
import org.nd4j.linalg.api.ops.impl.shape.Squeeze;
import org.nd4j.linalg.api.ops.impl.shape.Transpose;
import org.nd4j.linalg.api.ops.impl.shape.ZerosLike;
import org.nd4j.linalg.api.ops.impl.transforms.clip.ClipByValue;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.RDivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.RSubOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;
import org.nd4j.linalg.api.ops.impl.transforms.same.Negative;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.same.Square;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Cos;
import org.nd4j.linalg.api.ops.impl.transforms.strict.ELU;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log1p;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sin;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SoftPlus;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;

/**
 * Chooses the kernel of an op: a Java kernel where one is written for the op's exact class and
 * configuration, otherwise ND4J's own implementation ({@link NativeOps#fallback}).
 */
final class Kernels {
    private Kernels() {
    }

    static Kernel forOp(DifferentialFunction fn, int inputs) {
        Kernel k = javaKernel(fn, inputs);
        return k != null ? k : NativeOps.fallback(fn);
    }

    private static Kernel javaKernel(DifferentialFunction fn, int inputs) {
        Class<?> c = fn.getClass();
        // Pairwise (broadcasting) arithmetic.
        if (inputs == 2) {
            Binary.Op b = c == AddOp.class ? Binary.Op.ADD : c == SubOp.class ? Binary.Op.SUB : c == MulOp.class ? Binary.Op.MUL
                    : c == DivOp.class ? Binary.Op.DIV : c == RSubOp.class ? Binary.Op.RSUB : c == RDivOp.class ? Binary.Op.RDIV
                    : c == org.nd4j.linalg.api.ops.impl.transforms.custom.Pow.class ? Binary.Op.POW
                    : c == org.nd4j.linalg.api.ops.impl.transforms.custom.Max.class ? Binary.Op.MAX : null;
            if (b != null) {
                return new Binary(b);
            }
        }
        if (fn instanceof BaseScalarOp) {
            if (inputs != 1 || ((BaseScalarOp) fn).scalar() == null) {
                return null;
            }
            double s = OpArgs.scalar(fn);
            Unary.Fn u = c == ScalarAdd.class ? Unary.Fn.ADD : c == ScalarSubtraction.class ? Unary.Fn.SUB
                    : c == ScalarReverseSubtraction.class ? Unary.Fn.RSUB : c == ScalarMultiplication.class ? Unary.Fn.MUL
                    : c == ScalarDivision.class ? Unary.Fn.DIV : c == ScalarReverseDivision.class ? Unary.Fn.RDIV
                    : c == Pow.class ? Unary.Fn.POW : c == RectifiedLinear.class ? Unary.Fn.RELU : c == Step.class ? Unary.Fn.STEP
                    : c == LeakyReLU.class ? Unary.Fn.LEAKY_RELU : null;
            return u == null ? null : new Unary(u, s, 0);
        }
        if (inputs == 1) {
            Unary.Fn u = c == Tanh.class ? Unary.Fn.TANH : c == Sigmoid.class ? Unary.Fn.SIGMOID : c == Exp.class ? Unary.Fn.EXP
                    : c == Log.class ? Unary.Fn.LOG : c == Log1p.class ? Unary.Fn.LOG1P : c == Square.class ? Unary.Fn.SQUARE
                    : c == Sqrt.class ? Unary.Fn.SQRT : c == Abs.class ? Unary.Fn.ABS : c == Negative.class ? Unary.Fn.NEG
                    : c == Sin.class ? Unary.Fn.SIN : c == Cos.class ? Unary.Fn.COS : c == SoftPlus.class ? Unary.Fn.SOFTPLUS
                    : c == Swish.class ? Unary.Fn.SWISH : c == Sign.class ? Unary.Fn.SIGN : null;
            if (u != null) {
                return new Unary(u, 0, 0);
            }
            if (c == ELU.class) {
                double[] t = OpArgs.tArgs(fn);
                return new Unary(Unary.Fn.ELU, t.length > 0 ? t[0] : 1.0, 0);
            }
            if (c == ClipByValue.class) {
                double[] t = OpArgs.tArgs(fn);
                return t.length == 2 ? new Unary(Unary.Fn.CLIP, t[0], t[1]) : null;
            }
            if (c == Identity.class || c == Squeeze.class || c == ExpandDims.class) {
                return Layout.view(fn.opName());
            }
            if (c == ZerosLike.class) {
                return Layout.fill(0.0);
            }
            if (c == OnesLike.class) {
                return Layout.fill(1.0);
            }
            if (c == Shape.class) {
                return Layout.shapeOf();
            }
            if (c == SoftMax.class) {
                long[] i = OpArgs.iArgs(fn);
                return Layout.softmax(i.length > 0 ? (int) i[0] : -1);
            }
            if (c == Sum.class || c == Mean.class || c == Max.class) {
                int[] dims = (int[]) OpArgs.field(fn, "dimensions");
                if (dims != null && java.util.Arrays.stream(dims).anyMatch(d -> d == Integer.MAX_VALUE)) {
                    dims = null;
                }
                Reduce.Kind kind = c == Sum.class ? Reduce.Kind.SUM : c == Mean.class ? Reduce.Kind.MEAN : Reduce.Kind.MAX;
                return new Reduce(kind, dims);
            }
            if (c == Transpose.class || c == Permute.class) {
                long[] i = OpArgs.iArgs(fn);
                int[] perm = new int[i.length];
                for (int k = 0; k < i.length; k++) {
                    perm[k] = (int) i[k];
                }
                return Layout.permute(perm.length == 0 ? null : perm);
            }
        }
        if (c == Reshape.class) {
            long[] i = OpArgs.iArgs(fn);
            // Views are C-order reshapes only ('f' = 102 as the order argument).
            boolean fortran = i.length > 0 && (i[0] == 'f' || i[0] == -'f');
            return fortran ? null : Layout.view("reshape");
        }
        if (c == Mmul.class && inputs == 2) {
            MMulTranspose mt = (MMulTranspose) OpArgs.field(fn, "mt");
            double[] t = OpArgs.tArgs(fn);
            double alpha = t.length > 0 ? t[0] : 1.0;
            double beta = t.length > 1 ? t[1] : 0.0;
            if (beta != 0.0) {
                return null;
            }
            return new RankCheckedMatMul(new MatMul(mt != null && mt.isTransposeA(), mt != null && mt.isTransposeB(),
                    mt != null && mt.isTransposeResult(), alpha), fn);
        }
        if (c == BiasAdd.class && inputs == 2) {
            boolean[] b = OpArgs.bArgs(fn);
            boolean nchw = b.length == 0 || b[0];
            return nchw ? Layout.biasAdd() : null;
        }
        return null;
    }

    /** The Java matrix product for rank-2 operands; ND4J's batched product otherwise. */
    private static final class RankCheckedMatMul implements Kernel {
        private final MatMul matMul;
        private final Kernel fallback;

        RankCheckedMatMul(MatMul matMul, DifferentialFunction fn) {
            this.matMul = matMul;
            this.fallback = NativeOps.fallback(fn);
        }

        @Override
        public void run(Tensor[] in, Tensor[] out) {
            if (in[0].shape.length == 2 && in[1].shape.length == 2 && (in[0].isFloat() || in[0].isDouble())
                    && in[0].type == in[1].type && in[0].type == out[0].type) {
                matMul.run(in, out);
            } else {
                fallback.run(in, out);
            }
        }

        @Override
        public String describe() {
            return matMul.describe();
        }
    }
}
