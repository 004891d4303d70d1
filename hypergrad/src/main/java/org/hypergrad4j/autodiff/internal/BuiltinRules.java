package org.hypergrad4j.autodiff.internal;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.hypergrad4j.autodiff.VjpContext;
import org.hypergrad4j.autodiff.VjpRegistry;
import org.hypergrad4j.autodiff.VjpRule;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BiasAdd;
import org.nd4j.linalg.api.ops.impl.layers.convolution.AvgPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
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
import org.nd4j.linalg.api.ops.impl.shape.Concat;
import org.nd4j.linalg.api.ops.impl.shape.ExpandDims;
import org.nd4j.linalg.api.ops.impl.shape.OnesLike;
import org.nd4j.linalg.api.ops.impl.shape.Permute;
import org.nd4j.linalg.api.ops.impl.shape.Reshape;
import org.nd4j.linalg.api.ops.impl.shape.Shape;
import org.nd4j.linalg.api.ops.impl.shape.Slice;
import org.nd4j.linalg.api.ops.impl.shape.Squeeze;
import org.nd4j.linalg.api.ops.impl.shape.Tile;
import org.nd4j.linalg.api.ops.impl.shape.Transpose;
import org.nd4j.linalg.api.ops.impl.shape.ZerosLike;
import org.nd4j.linalg.api.ops.impl.transforms.Pad;
import org.nd4j.linalg.api.ops.impl.transforms.clip.ClipByValue;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
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
import org.nd4j.linalg.factory.Nd4j;

/**
 * The built-in vector-Jacobian rules. Each emits only forward ops whose derivatives are correct
 * (SameDiff's probe in docs/ARCHITECTURE.md and this registry), so gradients built from them can be
 * differentiated again. Notation in comments: {@code c} is the output cotangent, {@code y} the output.
 */
public final class BuiltinRules {
    private BuiltinRules() {
    }

    /** Elementwise {@code y = f(x)}: the rule returns {@code c ⊙ f'(x)}. */
    @FunctionalInterface
    private interface Elementwise {
        SDVariable apply(SameDiff sd, DifferentialFunction op, SDVariable x, SDVariable y, SDVariable c);
    }

    private static VjpRule elementwise(Elementwise f) {
        return (ctx, op, in, out, c) -> new SDVariable[] {ctx.needsGradient(0) ? f.apply(ctx.sd(), op, in[0], out[0], c[0]) : null};
    }

    private static VjpRule zeroDerivative() {
        return (ctx, op, in, out, c) -> new SDVariable[in.length];
    }

    public static void registerAll(VjpRegistry r) {
        // Broadcasting binary arithmetic: z = x ∘ y.
        r.register(AddOp.class, (ctx, op, in, out, c) -> binary(ctx, in, out, c[0], c[0]));
        r.register(SubOp.class, (ctx, op, in, out, c) -> binary(ctx, in, out, c[0], c[0].neg()));
        r.register(MulOp.class, (ctx, op, in, out, c) -> binary(ctx, in, out,
                ctx.needsGradient(0) ? c[0].mul(in[1]) : null, ctx.needsGradient(1) ? c[0].mul(in[0]) : null));
        // z = x / y: dz/dx = 1/y, dz/dy = -z/y
        r.register(DivOp.class, (ctx, op, in, out, c) -> binary(ctx, in, out,
                ctx.needsGradient(0) ? c[0].div(in[1]) : null, ctx.needsGradient(1) ? c[0].mul(out[0]).div(in[1]).neg() : null));
        // RSub: z = y - x; RDiv: z = y / x (inputs are [x, y]).
        r.register(RSubOp.class, (ctx, op, in, out, c) -> binary(ctx, in, out, c[0].neg(), c[0]));
        r.register(RDivOp.class, (ctx, op, in, out, c) -> binary(ctx, in, out,
                ctx.needsGradient(0) ? c[0].mul(out[0]).div(in[0]).neg() : null, ctx.needsGradient(1) ? c[0].div(in[0]) : null));
        r.register(org.nd4j.linalg.api.ops.impl.transforms.custom.Pow.class, BuiltinRules::pairwisePow);
        r.register(org.nd4j.linalg.api.ops.impl.transforms.custom.Max.class, BuiltinRules::pairwiseMax);

        // Scalar arithmetic: z = x ∘ s.
        r.register(ScalarAdd.class, elementwise((sd, op, x, y, c) -> c));
        r.register(ScalarSubtraction.class, elementwise((sd, op, x, y, c) -> c));
        r.register(ScalarReverseSubtraction.class, elementwise((sd, op, x, y, c) -> c.neg()));
        r.register(ScalarMultiplication.class, elementwise((sd, op, x, y, c) -> c.mul(OpArgs.scalar(op))));
        r.register(ScalarDivision.class, elementwise((sd, op, x, y, c) -> c.div(OpArgs.scalar(op))));
        // z = s / x: dz/dx = -z / x
        r.register(ScalarReverseDivision.class, elementwise((sd, op, x, y, c) -> c.mul(y).div(x).neg()));
        // z = x^p: p x^(p-1)
        r.register(Pow.class, elementwise((sd, op, x, y, c) -> {
            double p = OpArgs.scalar(op);
            if (p == 2.0) {
                return c.mul(x).mul(2.0);
            }
            return c.mul(sd.math.pow(x, p - 1.0)).mul(p);
        }));

        // Activations.
        r.register(Tanh.class, elementwise((sd, op, x, y, c) -> c.mul(y.mul(y).rsub(1.0))));
        r.register(Sigmoid.class, elementwise((sd, op, x, y, c) -> c.mul(y.mul(y.rsub(1.0)))));
        r.register(RectifiedLinear.class, elementwise((sd, op, x, y, c) -> c.mul(sd.math.step(x, OpArgs.scalar(op)))));
        // leaky: 1 for x > 0, α otherwise: α + (1 - α)·step(x)
        r.register(LeakyReLU.class, elementwise((sd, op, x, y, c) -> {
            double alpha = OpArgs.scalar(op);
            return c.mul(sd.math.step(x, 0.0).mul(1.0 - alpha).add(alpha));
        }));
        // elu: 1 for x > 0, y + α otherwise
        r.register(ELU.class, elementwise((sd, op, x, y, c) -> {
            double[] t = OpArgs.tArgs(op);
            double alpha = t.length > 0 ? t[0] : 1.0;
            SDVariable m = sd.math.step(x, 0.0);
            return c.mul(y.add(alpha).mul(m.rsub(1.0)).add(m));
        }));
        r.register(SoftPlus.class, elementwise((sd, op, x, y, c) -> c.mul(sd.nn.sigmoid(x))));
        // swish y = x σ(x): σ(x)·(1 + x·(1 - σ(x)))
        r.register(Swish.class, elementwise((sd, op, x, y, c) -> {
            SDVariable s = sd.nn.sigmoid(x);
            return c.mul(s.mul(x.mul(s.rsub(1.0)).add(1.0)));
        }));
        r.register(SoftMax.class, BuiltinRules::softmax);

        // Elementwise math.
        r.register(Exp.class, elementwise((sd, op, x, y, c) -> c.mul(y)));
        r.register(Log.class, elementwise((sd, op, x, y, c) -> c.div(x)));
        r.register(Log1p.class, elementwise((sd, op, x, y, c) -> c.div(x.add(1.0))));
        r.register(Square.class, elementwise((sd, op, x, y, c) -> c.mul(x).mul(2.0)));
        r.register(Sqrt.class, elementwise((sd, op, x, y, c) -> c.div(y).mul(0.5)));
        // |x|' = sign(x) = step(x) - step(-x), 0 at x = 0
        r.register(Abs.class, elementwise((sd, op, x, y, c) -> c.mul(sd.math.step(x, 0.0).sub(sd.math.step(x.neg(), 0.0)))));
        r.register(Negative.class, elementwise((sd, op, x, y, c) -> c.neg()));
        r.register(Identity.class, elementwise((sd, op, x, y, c) -> c));
        r.register(Sin.class, elementwise((sd, op, x, y, c) -> c.mul(sd.math.cos(x))));
        r.register(Cos.class, elementwise((sd, op, x, y, c) -> c.mul(sd.math.sin(x)).neg()));
        // clip: 1 strictly inside (lo, hi), else 0
        r.register(ClipByValue.class, elementwise((sd, op, x, y, c) -> {
            double[] t = OpArgs.tArgs(op);
            return c.mul(sd.math.step(x, t[0]).sub(sd.math.step(x, t[1])));
        }));
        // Piecewise-constant ops: zero derivative almost everywhere.
        r.register(Step.class, zeroDerivative());
        r.register(Sign.class, zeroDerivative());
        r.register(ZerosLike.class, zeroDerivative());
        r.register(OnesLike.class, zeroDerivative());
        r.register(Shape.class, zeroDerivative());

        // Linear algebra.
        r.register(Mmul.class, BuiltinRules::mmul);
        r.register(BiasAdd.class, BuiltinRules::biasAdd);

        // Reductions.
        r.register(Sum.class, new ReduceRule(ReduceKind.SUM));
        r.register(Mean.class, new ReduceRule(ReduceKind.MEAN));
        r.register(Max.class, new ReduceRule(ReduceKind.MAX));

        // Shape ops.
        r.register(Reshape.class, (ctx, op, in, out, c) -> only(in.length, ctx.reshapeLike(c[0], in[0])));
        r.register(Permute.class, (ctx, op, in, out, c) -> only(in.length, ctx.sd().permute(c[0], invert(OpArgs.intArgs(op)))));
        r.register(Transpose.class, BuiltinRules::transpose);
        r.register(ExpandDims.class, (ctx, op, in, out, c) -> only(in.length,
                ctx.sd().squeeze(c[0], OpArgs.axis(OpArgs.intArgs(op)[0], ctx.shape(out[0]).length))));
        r.register(Squeeze.class, (ctx, op, in, out, c) -> only(in.length, ctx.reshapeLike(c[0], in[0])));
        r.register(Concat.class, BuiltinRules::concat);
        r.register(Slice.class, BuiltinRules::slice);
        r.register(Pad.class, new VjpRule() {
            @Override
            public SDVariable[] apply(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
                return pad(ctx, op, in, out, c);
            }

            @Override
            public String unsupportedReason(DifferentialFunction op) {
                if (OpArgs.field(op, "mode") != Pad.Mode.CONSTANT) {
                    return "only constant-mode padding is supported (got " + OpArgs.field(op, "mode") + ").";
                }
                return op.args().length > 1 && op.args()[1].getVariableType() != VariableType.CONSTANT
                        ? "the paddings must be a constant." : null;
            }
        });
        r.register(Reverse.class, (ctx, op, in, out, c) -> only(in.length, ctx.sd().reverse(c[0], OpArgs.intArgs(op))));
        r.register(Tile.class, BuiltinRules::tile);

        // Convolution and pooling.
        r.register(Conv2D.class, new Conv2DRule());
        r.register(AvgPooling2D.class, new PoolingRule(false));
        r.register(MaxPooling2D.class, new PoolingRule(true));
    }

    private static SDVariable[] only(int inputs, SDVariable first) {
        SDVariable[] r = new SDVariable[inputs];
        r[0] = first;
        return r;
    }

    private static SDVariable[] binary(VjpContext ctx, SDVariable[] in, SDVariable[] out, SDVariable cx, SDVariable cy) {
        long[] os = ctx.shape(out[0]);
        return new SDVariable[] {
                ctx.needsGradient(0) && cx != null ? ctx.unbroadcast(cx, os, in[0]) : null,
                ctx.needsGradient(1) && cy != null ? ctx.unbroadcast(cy, os, in[1]) : null};
    }

    /** z = x^y: dz/dx = y·x^(y-1), dz/dy = z·log(x). */
    private static SDVariable[] pairwisePow(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
        SameDiff sd = ctx.sd();
        SDVariable x = in[0];
        SDVariable y = in[1];
        return binary(ctx, in, out,
                ctx.needsGradient(0) ? c[0].mul(y).mul(sd.math.pow(x, y.sub(1.0))) : null,
                ctx.needsGradient(1) ? c[0].mul(out[0]).mul(sd.math.log(x)) : null);
    }

    /** z = max(x, y): the cotangent goes to x where x ≥ y, else to y. */
    private static SDVariable[] pairwiseMax(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
        SameDiff sd = ctx.sd();
        SDVariable toY = sd.math.step(in[1].sub(in[0]), 0.0);
        return binary(ctx, in, out, c[0].mul(toY.rsub(1.0)), c[0].mul(toY));
    }

    /** y = softmax(x) along d: c_x = y ⊙ (c − Σ_d c ⊙ y). */
    private static SDVariable[] softmax(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
        int rank = ctx.shape(in[0]).length;
        long[] ia = OpArgs.iArgs(op);
        int dim = OpArgs.axis(ia.length > 0 ? (int) ia[0] : (Integer) OpArgs.field(op, "dimension"), rank);
        SDVariable y = out[0];
        return only(in.length, y.mul(c[0].sub(Reductions.sumKeepDims(ctx.sd(), c[0].mul(y), ctx.shape(in[0]), new int[] {dim}))));
    }

    /**
     * C = op(A)·op(B), possibly transposed. With G = c (or cᵀ) and primes for the transposed operands:
     * dA' = G·B'ᵀ, dB' = A'ᵀ·G, then transposed back where the operand was.
     */
    private static SDVariable[] mmul(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
        SameDiff sd = ctx.sd();
        MMulTranspose mt = (MMulTranspose) OpArgs.field(op, "mt");
        boolean tA = mt != null && mt.isTransposeA();
        boolean tB = mt != null && mt.isTransposeB();
        boolean tZ = mt != null && mt.isTransposeResult();
        SDVariable a = in[0];
        SDVariable b = in[1];
        SDVariable g = c[0];
        if (tZ) {
            g = transposeLast(sd, g, ctx.shape(out[0]).length);
        }
        SDVariable da = null;
        SDVariable db = null;
        if (ctx.needsGradient(0)) {
            da = tA ? sd.mmul(b, g, tB, true, false) : sd.mmul(g, b, false, !tB, false);
        }
        if (ctx.needsGradient(1)) {
            db = tB ? sd.mmul(g, a, true, tA, false) : sd.mmul(a, g, !tA, false, false);
        }
        SDVariable[] r = new SDVariable[in.length];
        r[0] = da;
        r[1] = db;
        return r;
    }

    private static SDVariable transposeLast(SameDiff sd, SDVariable v, int rank) {
        if (rank == 2) {
            return sd.transpose(v);
        }
        int[] p = IntStream.range(0, rank).toArray();
        p[rank - 1] = rank - 2;
        p[rank - 2] = rank - 1;
        return sd.permute(v, p);
    }

    /** y = x + b along the channel axis (1 for NCHW, else the last): c_b = Σ over the other axes. */
    private static SDVariable[] biasAdd(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
        int rank = ctx.shape(in[0]).length;
        boolean[] b = OpArgs.bArgs(op);
        boolean nchw = b.length == 0 || b[0];
        int channel = nchw && rank > 2 ? 1 : rank - 1;
        int[] others = IntStream.range(0, rank).filter(i -> i != channel).toArray();
        return new SDVariable[] {ctx.needsGradient(0) ? c[0] : null,
                ctx.needsGradient(1) ? ctx.reshapeLike(Reductions.sumKeepDims(ctx.sd(), c[0], ctx.shape(in[0]), others), in[1]) : null};
    }

    private static SDVariable[] transpose(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
        int[] perm = (int[]) OpArgs.field(op, "permuteDims");
        if (perm == null || perm.length == 0) {
            int rank = ctx.shape(in[0]).length;
            perm = IntStream.range(0, rank).map(i -> rank - 1 - i).toArray();
        }
        return only(in.length, ctx.sd().permute(c[0], invert(perm)));
    }

    private static int[] invert(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    /** Concatenation along d: each input's cotangent is its slice of c. */
    private static SDVariable[] concat(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
        int rank = ctx.shape(out[0]).length;
        int dim = OpArgs.axis(OpArgs.intArgs(op)[0], rank);
        SDVariable[] r = new SDVariable[in.length];
        long offset = 0;
        for (int i = 0; i < in.length; i++) {
            long size = ctx.shape(in[i])[dim];
            if (size < 0) {
                throw new IllegalStateException("concat along a dynamic dimension is not supported (input '" + in[i].name() + "')");
            }
            if (ctx.needsGradient(i)) {
                int[] begin = new int[rank];
                int[] sz = new int[rank];
                Arrays.fill(sz, -1);
                begin[dim] = (int) offset;
                sz[dim] = (int) size;
                r[i] = ctx.sd().slice(c[0], begin, sz);
            }
            offset += size;
        }
        return r;
    }

    /** y = x[begin : begin + size]: c_x = c padded with zeros back to x's shape. */
    private static SDVariable[] slice(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
        long[] xs = ctx.shape(in[0]);
        long[] os = ctx.shape(out[0]);
        int[] args = OpArgs.intArgs(op);
        int rank = xs.length;
        int[][] padding = new int[rank][2];
        for (int i = 0; i < rank; i++) {
            int begin = args[i];
            if (xs[i] < 0) {
                if (begin != 0 || os[i] >= 0) {
                    throw new IllegalStateException("slice of dynamic dimension " + i + " of '" + in[0].name() + "' must take all of it");
                }
                continue;
            }
            padding[i][0] = begin;
            padding[i][1] = (int) (xs[i] - begin - os[i]);
        }
        return only(in.length, padWith(ctx.sd(), c[0], padding));
    }

    private static SDVariable padWith(SameDiff sd, SDVariable v, int[][] padding) {
        boolean any = Arrays.stream(padding).anyMatch(p -> p[0] != 0 || p[1] != 0);
        return any ? sd.nn.pad(v, sd.constant(Nd4j.createFromArray(padding)), 0.0) : v;
    }

    /** Constant-mode padding: c_x = the un-padded window of c. */
    private static SDVariable[] pad(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
        INDArray paddings = in[1].getArr();
        long[] xs = ctx.shape(in[0]);
        int[] begin = new int[xs.length];
        int[] size = new int[xs.length];
        for (int i = 0; i < xs.length; i++) {
            begin[i] = paddings.getInt(i, 0);
            size[i] = (int) xs[i];
        }
        return only(in.length, ctx.sd().slice(c[0], begin, size));
    }

    /** Tiling by reps r: c_x = Σ over the copies, via reshape to [r0, x0, r1, x1, ...]. */
    private static SDVariable[] tile(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
        long[] xs = ctx.shape(in[0]);
        int[] reps = OpArgs.intArgs(op);
        long[] split = new long[2 * xs.length];
        int[] repAxes = new int[xs.length];
        for (int i = 0; i < xs.length; i++) {
            split[2 * i] = reps[i];
            split[2 * i + 1] = xs[i];
            repAxes[i] = 2 * i;
        }
        SDVariable summed = Reductions.sumKeepDims(ctx.sd(), ctx.sd().reshape(c[0], split), split, repAxes);
        return only(in.length, ctx.reshapeLike(summed, in[0]));
    }

    private enum ReduceKind { SUM, MEAN, MAX }

    /**
     * Reductions over some or all axes, with or without kept dimensions. c is first given kept
     * dimensions (expandDims), then: sum broadcasts it; mean divides by the count; max routes it
     * to the maximal elements, split evenly between ties.
     */
    private static final class ReduceRule implements VjpRule {
        private final ReduceKind kind;

        ReduceRule(ReduceKind kind) {
            this.kind = kind;
        }

        @Override
        public String unsupportedReason(DifferentialFunction op) {
            if (op.args().length > 1) {
                return "reduction axes given as a graph variable are not supported; pass them as int arguments.";
            }
            return null;
        }

        @Override
        public SDVariable[] apply(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
            SameDiff sd = ctx.sd();
            SDVariable x = in[0];
            long[] xs = ctx.shape(x);
            int rank = xs.length;
            int[] dims = (int[]) OpArgs.field(op, "dimensions");
            int[] axes;
            if (dims == null || dims.length == 0 || (dims.length == 1 && dims[0] == Integer.MAX_VALUE)) {
                axes = IntStream.range(0, rank).toArray();
            } else {
                axes = Arrays.stream(dims).map(d -> OpArgs.axis(d, rank)).sorted().distinct().toArray();
            }
            boolean keep = (Boolean) OpArgs.field(op, "keepDims");
            SDVariable ck = c[0];
            SDVariable yk = out[0];
            long[] cs = ctx.shape(out[0]);
            if (cs.length != rank) {
                // Restore the reduced axes as size-1 axes.
                if (cs.length == 0 || Arrays.stream(cs).allMatch(d -> d == 1) && axes.length == rank) {
                    long[] ones = new long[rank];
                    Arrays.fill(ones, 1);
                    ck = sd.reshape(ck, ones);
                    yk = kind == ReduceKind.MAX ? sd.reshape(yk, ones) : null;
                } else {
                    for (int a : axes) {
                        ck = sd.expandDims(ck, a);
                        if (kind == ReduceKind.MAX) {
                            yk = sd.expandDims(yk, a);
                        }
                    }
                }
            } else if (!keep && kind == ReduceKind.MAX) {
                yk = out[0];
            }
            switch (kind) {
                case SUM:
                    return only(in.length, ctx.broadcastLike(ck, x));
                case MEAN: {
                    boolean dynamic = Arrays.stream(axes).anyMatch(a -> xs[a] < 0);
                    if (!dynamic) {
                        long n = 1;
                        for (int a : axes) {
                            n *= xs[a];
                        }
                        return only(in.length, ctx.broadcastLike(ck.div((double) n), x));
                    }
                    SDVariable count = Reductions.sumKeepDims(sd, sd.onesLike(x), xs, axes);
                    return only(in.length, ctx.broadcastLike(ck.div(count), x));
                }
                case MAX: {
                    // mask = 1 where x == max (x ≤ max always, so step(max − x) is 0 exactly there)
                    SDVariable mask = sd.math.step(yk.sub(x), 0.0).rsub(1.0);
                    SDVariable ties = Reductions.sumKeepDims(sd, mask, xs, axes);
                    return only(in.length, mask.mul(ck.div(ties)));
                }
                default:
                    throw new IllegalStateException(kind.toString());
            }
        }
    }

    /**
     * 2-D convolution, NCHW, stride 1, dilation 1, weights YXIO ([kH, kW, in, out]) or OIYX.
     * With padding p and output cotangent G:
     * dX = conv(G, W'), padding k−1−p, W'[a,b,o,i] = W[k−1−a, k−1−b, i, o] (spatial flip, in/out swapped);
     * dW = permute(conv(permute(X, [1,0,2,3]), permute(G, [2,3,0,1])), [2,3,0,1]) with padding p, i.e.
     * dW[a,b,i,o] = Σ_{n,h,w} Xpad[n,i,h+a,w+b]·G[n,o,h,w]; db = Σ_{n,h,w} G.
     * Every node is a forward convolution, permute or reverse, so dX and dW are differentiable again.
     */
    private static final class Conv2DRule implements VjpRule {
        @Override
        public String unsupportedReason(DifferentialFunction op) {
            Conv2DConfig cfg = ((Conv2D) op).getConfig();
            if (cfg.getSH() != 1 || cfg.getSW() != 1) {
                return "only stride 1 is supported (stride " + cfg.getSH() + "x" + cfg.getSW() + ").";
            }
            if (cfg.getDH() != 1 || cfg.getDW() != 1) {
                return "only dilation 1 is supported (dilation " + cfg.getDH() + "x" + cfg.getDW() + ").";
            }
            if (!"NCHW".equalsIgnoreCase(cfg.getDataFormat())) {
                return "only the NCHW data format is supported (got " + cfg.getDataFormat() + ").";
            }
            if (cfg.getWeightsFormat() != WeightsFormat.YXIO && cfg.getWeightsFormat() != WeightsFormat.OIYX) {
                return "only YXIO and OIYX weights are supported (got " + cfg.getWeightsFormat() + ").";
            }
            if (cfg.getPaddingMode() == PaddingMode.SAME && (cfg.getKH() % 2 == 0 || cfg.getKW() % 2 == 0)) {
                return "SAME padding needs odd kernel sizes (got " + cfg.getKH() + "x" + cfg.getKW() + ").";
            }
            if (cfg.getPaddingMode() == PaddingMode.CAUSAL) {
                return "CAUSAL padding is not supported.";
            }
            if (padding(cfg, true) > cfg.getKH() - 1 || padding(cfg, false) > cfg.getKW() - 1) {
                return "padding larger than kernel size − 1 is not supported.";
            }
            return null;
        }

        private static long padding(Conv2DConfig cfg, boolean height) {
            long k = height ? cfg.getKH() : cfg.getKW();
            if (cfg.getPaddingMode() == PaddingMode.SAME) {
                return (k - 1) / 2;
            }
            return height ? cfg.getPH() : cfg.getPW();
        }

        private static Conv2DConfig config(long kH, long kW, long pH, long pW) {
            return Conv2DConfig.builder().kH(kH).kW(kW).sH(1).sW(1).pH(pH).pW(pW).dH(1).dW(1)
                    .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
        }

        @Override
        public SDVariable[] apply(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
            SameDiff sd = ctx.sd();
            Conv2DConfig cfg = ((Conv2D) op).getConfig();
            long kH = cfg.getKH();
            long kW = cfg.getKW();
            long pH = padding(cfg, true);
            long pW = padding(cfg, false);
            boolean oiyx = cfg.getWeightsFormat() == WeightsFormat.OIYX;
            SDVariable x = in[0];
            SDVariable w = oiyx ? sd.permute(in[1], 2, 3, 1, 0) : in[1];
            SDVariable g = c[0];
            long[] os = ctx.shape(out[0]);
            SDVariable[] r = new SDVariable[in.length];
            if (ctx.needsGradient(0)) {
                SDVariable flipped = sd.permute(sd.reverse(w, 0, 1), 0, 1, 3, 2);
                r[0] = sd.cnn.conv2d(g, flipped, config(kH, kW, kH - 1 - pH, kW - 1 - pW));
            }
            if (ctx.needsGradient(1)) {
                if (os[2] < 0 || os[3] < 0) {
                    throw new IllegalStateException("conv2d weight gradient needs static spatial sizes (output of '" + out[0].name() + "')");
                }
                SDVariable xt = sd.permute(x, 1, 0, 2, 3);
                SDVariable gk = sd.permute(g, 2, 3, 0, 1);
                SDVariable dw = sd.permute(sd.cnn.conv2d(xt, gk, config(os[2], os[3], pH, pW)), 2, 3, 0, 1);
                r[1] = oiyx ? sd.permute(dw, 3, 2, 0, 1) : dw;
            }
            if (in.length > 2 && ctx.needsGradient(2)) {
                r[2] = g.sum(0, 2, 3);
            }
            return r;
        }
    }

    /**
     * Non-overlapping 2-D pooling (kernel = stride, no padding, NCHW, sizes divisible by the kernel),
     * written through a reshape to [N, C, H/k, k, W/k, k]: average spreads c/k² over each window; max
     * routes c to the window's maximal elements, split evenly between ties.
     */
    private static final class PoolingRule implements VjpRule {
        private final boolean max;

        PoolingRule(boolean max) {
            this.max = max;
        }

        @Override
        public String unsupportedReason(DifferentialFunction op) {
            Pooling2DConfig cfg = max ? ((MaxPooling2D) op).getConfig() : ((AvgPooling2D) op).getConfig();
            if (cfg.getKH() != cfg.getSH() || cfg.getKW() != cfg.getSW()) {
                return "only non-overlapping pooling (kernel = stride) is supported (kernel " + cfg.getKH() + "x" + cfg.getKW()
                        + ", stride " + cfg.getSH() + "x" + cfg.getSW() + ").";
            }
            if (cfg.getPH() != 0 || cfg.getPW() != 0 || cfg.getPaddingMode() != PaddingMode.VALID) {
                return "only VALID pooling without padding is supported.";
            }
            if (cfg.getDH() != 1 || cfg.getDW() != 1 || cfg.isNHWC()) {
                return "only NCHW pooling without dilation is supported.";
            }
            return null;
        }

        @Override
        public SDVariable[] apply(VjpContext ctx, DifferentialFunction op, SDVariable[] in, SDVariable[] out, SDVariable[] c) {
            SameDiff sd = ctx.sd();
            Pooling2DConfig cfg = max ? ((MaxPooling2D) op).getConfig() : ((AvgPooling2D) op).getConfig();
            long kH = cfg.getKH();
            long kW = cfg.getKW();
            long[] xs = ctx.shape(in[0]);
            long channels = xs[1];
            long h = xs[2];
            long w = xs[3];
            if (channels < 0 || h < 0 || w < 0 || h % kH != 0 || w % kW != 0) {
                throw new IllegalStateException("pooling input '" + in[0].name() + "' of shape " + Arrays.toString(xs)
                        + " must have static C, H, W divisible by the kernel " + kH + "x" + kW);
            }
            long ho = h / kH;
            long wo = w / kW;
            SDVariable windows = sd.reshape(in[0], -1, channels, ho, kH, wo, kW);
            SDVariable cw = sd.reshape(c[0], -1, channels, ho, 1, wo, 1);
            SDVariable grad;
            if (max) {
                SDVariable yw = sd.reshape(out[0], -1, channels, ho, 1, wo, 1);
                SDVariable mask = sd.math.step(yw.sub(windows), 0.0).rsub(1.0);
                SDVariable ties = mask.sum(true, 3, 5);
                grad = mask.mul(cw.div(ties));
            } else {
                grad = sd.zerosLike(windows).add(cw.div((double) (kH * kW)));
            }
            return only(in.length, sd.reshape(grad, -1, channels, h, w));
        }
    }
}
