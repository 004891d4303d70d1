package org.hypergrad4j.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BaseOp;
import org.nd4j.linalg.api.ops.BaseReduceOp;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.ReduceOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a SameDiff op through ND4J's executioner on staged copies of the engine's tensors, the way
 * SameDiff's InferenceSession parameterises it: the shape function of every op, and the fallback
 * kernel of ops without a Java kernel (convolutions, pooling, padding, ...).
 */
final class NativeOps {
    private NativeOps() {
    }

    /** The op's output shapes for these inputs (ND4J's shape function). */
    static long[][] outputShapes(DifferentialFunction fn, Tensor[] in, DataType[] outTypes) {
        INDArray[] args = stage(in);
        OpContext oc = parameterize(fn, args);
        List<LongShapeDescriptor> shapes;
        if (fn instanceof CustomOp) {
            shapes = ((DynamicCustomOp) fn).calculateOutputShape(oc);
        } else if (fn instanceof BaseOp) {
            if (isEmptyReduce(fn, args)) {
                return new long[][] {args[0].shape()};
            }
            shapes = ((BaseOp) fn).calculateOutputShape(oc);
        } else {
            throw new UnsupportedOperationException("The graph engine cannot execute op " + fn.opName() + " (" + fn.getClass().getName() + ").");
        }
        closeContext(oc);
        if (shapes == null || shapes.size() != outTypes.length) {
            throw new IllegalStateException("Op " + fn.opName() + " reported " + (shapes == null ? 0 : shapes.size())
                    + " output shapes for " + outTypes.length + " outputs.");
        }
        long[][] r = new long[shapes.size()][];
        for (int i = 0; i < r.length; i++) {
            r[i] = shapes.get(i).getShape();
        }
        return r;
    }

    private static boolean isEmptyReduce(DifferentialFunction fn, INDArray[] args) {
        return fn instanceof ReduceOp && ((ReduceOp) fn).getOpType() != Op.Type.REDUCE3 && args.length == 2 && args[1].isEmpty();
    }

    static INDArray[] stage(Tensor[] in) {
        INDArray[] a = new INDArray[in.length];
        for (int i = 0; i < in.length; i++) {
            a[i] = in[i].toINDArray();
        }
        return a;
    }

    /** Sets the op's arguments on a fresh context, as InferenceSession does. */
    private static OpContext parameterize(DifferentialFunction fn, INDArray[] args) {
        OpContext oc = Nd4j.getExecutioner().buildContext();
        if (fn instanceof CustomOp) {
            DynamicCustomOp op = (DynamicCustomOp) fn;
            oc.setArgs(args, op.iArgs(), op.dArgs(), op.tArgs(), op.bArgs());
            return oc;
        }
        boolean axisArg = false;
        if (fn instanceof ReduceOp && ((ReduceOp) fn).getOpType() != Op.Type.REDUCE3 && args.length == 2) {
            INDArray axes = args[1];
            if (!axes.isEmpty()) {
                fn.setDimensions(Shape.normalizeAxis(args[0].rank(), axes.toIntVector()));
                ((BaseReduceOp) fn).setEmptyReduce(false);
            } else {
                fn.setDimensions(null);
                ((BaseReduceOp) fn).setEmptyReduce(true);
            }
            axisArg = true;
        } else if (fn instanceof ScalarOp && args.length == 2) {
            ((ScalarOp) fn).setScalar(args[1]);
        }
        if (args.length > 0) {
            oc.setInputArray(0, args[0]);
            if (args.length == 2 && !axisArg) {
                oc.setInputArray(1, args[1]);
            }
        }
        return oc;
    }

    private static void closeContext(OpContext oc) {
        try {
            oc.close();
        } catch (Exception e) {
            // Closing only releases native handles; a failure leaves nothing to undo.
        }
    }

    /** The fallback kernel: ND4J's own implementation of the op, with values copied in and out. */
    static Kernel fallback(DifferentialFunction fn) {
        return new Kernel() {
            @Override
            public void run(Tensor[] in, Tensor[] out) {
                INDArray[] args = stage(in);
                OpContext oc = parameterize(fn, args);
                List<INDArray> outs = new ArrayList<>();
                for (Tensor t : out) {
                    INDArray z = Nd4j.create(t.type, t.shape, 'c');
                    outs.add(z);
                }
                if (isEmptyReduce(fn, args)) {
                    outs.get(0).assign(args[0]);
                } else {
                    for (int i = 0; i < outs.size(); i++) {
                        oc.setOutputArray(i, outs.get(i));
                    }
                    if (fn instanceof CustomOp) {
                        Nd4j.exec((CustomOp) fn, oc);
                    } else {
                        Nd4j.exec((Op) fn, oc);
                    }
                }
                closeContext(oc);
                for (int i = 0; i < out.length; i++) {
                    out[i].load(outs.get(i));
                }
            }

            @Override
            public String describe() {
                return "native:" + fn.opName();
            }
        };
    }
}
