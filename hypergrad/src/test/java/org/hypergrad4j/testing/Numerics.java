package org.hypergrad4j.testing;

import java.util.function.Supplier;
import org.hypergrad4j.core.ParamVector;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central finite differences in float64 and error measures, for tests. */
public final class Numerics {
    private Numerics() {
    }

    /**
     * Central-difference gradient of {@code f} with respect to the entries of {@code x} (modified
     * during the call, restored afterwards): {@code [f(x + h e_i) − f(x − h e_i)] / 2h}.
     */
    public static double[] gradient(Supplier<Double> f, INDArray x, double h) {
        INDArray flat = x.reshape(x.length());
        double[] g = new double[(int) x.length()];
        for (int i = 0; i < g.length; i++) {
            double old = flat.getDouble(i);
            flat.putScalar(i, old + h);
            double plus = f.get();
            flat.putScalar(i, old - h);
            double minus = f.get();
            flat.putScalar(i, old);
            g[i] = (plus - minus) / (2 * h);
        }
        return g;
    }

    /**
     * Central-difference directional derivative of a vector function {@code g} of {@code x} along
     * {@code v}: {@code [g(x + h v) − g(x − h v)] / 2h}; {@code x} is restored afterwards.
     */
    public static double[] directional(Supplier<double[]> g, ParamVector x, ParamVector v, double h) {
        ParamVector saved = x.dup();
        x.axpyInPlace(h, v);
        double[] plus = g.get();
        x.assignInPlace(saved).axpyInPlace(-h, v);
        double[] minus = g.get();
        x.assignInPlace(saved);
        double[] d = new double[plus.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (plus[i] - minus[i]) / (2 * h);
        }
        return d;
    }

    /** {@code ‖a − b‖₂ / max(‖b‖₂, floor)}. */
    public static double relativeError(double[] a, double[] b, double floor) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), floor);
    }

    public static double[] flat(INDArray a) {
        return a.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
    }
}
