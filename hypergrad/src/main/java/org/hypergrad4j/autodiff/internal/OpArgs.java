package org.hypergrad4j.autodiff.internal;

import java.lang.reflect.Field;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.ops.BaseScalarOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/** Reads an op's configuration: its integer, floating and boolean arguments, scalar, and private fields. */
public final class OpArgs {
    private OpArgs() {
    }

    public static long[] iArgs(DifferentialFunction op) {
        return ((DynamicCustomOp) op).iArgs();
    }

    public static int[] intArgs(DifferentialFunction op) {
        long[] l = iArgs(op);
        int[] r = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            r[i] = (int) l[i];
        }
        return r;
    }

    public static double[] tArgs(DifferentialFunction op) {
        return ((DynamicCustomOp) op).tArgs();
    }

    public static boolean[] bArgs(DifferentialFunction op) {
        return ((DynamicCustomOp) op).bArgs();
    }

    public static double scalar(DifferentialFunction op) {
        return ((BaseScalarOp) op).scalar().getDouble(0);
    }

    /** A field of the op or one of its superclasses, read reflectively (ND4J exposes few getters). */
    public static Object field(DifferentialFunction op, String name) {
        for (Class<?> c = op.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(op);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("Cannot read field '" + name + "' of op " + op.opName(), e);
            }
        }
        throw new IllegalStateException("Op " + op.getClass().getName() + " has no field '" + name + "'");
    }

    /** Normalises a possibly negative axis for a given rank. */
    public static int axis(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }
}
