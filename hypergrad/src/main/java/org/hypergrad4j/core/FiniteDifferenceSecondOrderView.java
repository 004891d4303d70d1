package org.hypergrad4j.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approximate second derivatives by central differences of SameDiff's own gradients, for graphs
 * holding ops without a {@link org.hypergrad4j.autodiff.VjpRule}:
 * {@code H v ≈ [g_w(w + h v) − g_w(w − h v)] / 2h}, {@code (∂²L/∂λ∂w) v ≈ [g_λ(w + h v) − g_λ(w − h v)] / 2h},
 * {@code (∂²L/∂w∂λ) u ≈ [g_w(λ + h u) − g_w(λ − h u)] / 2h}, with
 * {@code h = ε · max(1, ‖x‖₂) / ‖v‖₂} and {@code ε = ∛(machine epsilon)} of the graph's type.
 * Truncation error is {@code O(h²)}; in float32 expect about 3 correct digits. The variables are
 * restored exactly after every product. Says once, through the logger, that it is approximate.
 *
 * <p>Sets the graph's loss variable to {@code loss} (SameDiff keeps one loss per graph).
 */
public final class FiniteDifferenceSecondOrderView extends GraphBackedView {
    private static final Logger LOG = LoggerFactory.getLogger(FiniteDifferenceSecondOrderView.class);

    private final double epsilon;
    private boolean warned;

    private FiniteDifferenceSecondOrderView(SameDiff sd, String loss, List<String> weights, List<String> hypers) {
        super(sd, loss, weights, hypers);
        this.epsilon = Math.cbrt(type == DataType.DOUBLE ? Math.ulp(1.0) : Math.ulp(1.0f));
        sd.setLossVariables(loss);
    }

    /** See the class description; the arguments are checked as for {@link ExactSecondOrderView}. */
    public static FiniteDifferenceSecondOrderView build(SameDiff sd, String loss, List<String> weights, List<String> hyperparameters) {
        return new FiniteDifferenceSecondOrderView(sd, loss, weights, hyperparameters);
    }

    /** The relative step {@code ε}. */
    public double epsilon() {
        return epsilon;
    }

    @Override
    public boolean isExact() {
        return false;
    }

    @Override
    public double loss(Map<String, INDArray> feed) {
        Map<String, INDArray> out = sd.output(feed == null ? Map.of() : feed, loss);
        return out.get(loss).getDouble(0);
    }

    @Override
    public LossAndGradient lossAndGradient(Map<String, INDArray> feed) {
        return new LossAndGradient(loss(feed), gradient(weightNames, feed), gradient(hyperNames, feed));
    }

    @Override
    public CurvatureProducts hessianAndMixed(ParamVector v, Map<String, INDArray> feed) {
        ParamVector w = weights();
        ParamVector vv = ViewSupport.conform(v, w, "the Hessian");
        warnOnce();
        double vn = vv.norm2();
        if (vn == 0) {
            return new CurvatureProducts(w.zerosLike(), hyperparameters().zerosLike());
        }
        double h = epsilon * Math.max(1.0, w.norm2()) / vn;
        ParamVector saved = w.dup();
        List<String> all = new ArrayList<>(weightNames);
        all.addAll(hyperNames);
        try {
            w.axpyInPlace(h, vv);
            Map<String, INDArray> plus = gradients(all, feed);
            w.assignInPlace(saved).axpyInPlace(-h, vv);
            Map<String, INDArray> minus = gradients(all, feed);
            return new CurvatureProducts(difference(weightNames, plus, minus, h), difference(hyperNames, plus, minus, h));
        } finally {
            w.assignInPlace(saved);
        }
    }

    @Override
    public ParamVector mixedTransposeProduct(ParamVector u, Map<String, INDArray> feed) {
        ParamVector lam = hyperparameters();
        ParamVector uu = ViewSupport.conform(u, lam, "the mixed derivative ∂²L/∂w∂λ");
        warnOnce();
        double un = uu.isEmpty() ? 0 : uu.norm2();
        if (un == 0) {
            return weights().zerosLike();
        }
        double h = epsilon * Math.max(1.0, lam.norm2()) / un;
        ParamVector saved = lam.dup();
        try {
            lam.axpyInPlace(h, uu);
            Map<String, INDArray> plus = gradients(weightNames, feed);
            lam.assignInPlace(saved).axpyInPlace(-h, uu);
            Map<String, INDArray> minus = gradients(weightNames, feed);
            return difference(weightNames, plus, minus, h);
        } finally {
            lam.assignInPlace(saved);
        }
    }

    private void warnOnce() {
        if (!warned) {
            warned = true;
            LOG.warn("Second derivatives of '{}' are approximated by central differences of SameDiff gradients "
                    + "(relative step {}): they are not exact.", loss, String.format("%.1e", epsilon));
        }
    }

    private ParamVector gradient(List<String> names, Map<String, INDArray> feed) {
        Map<String, INDArray> g = gradients(names, feed);
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, g.get(n));
        }
        return ParamVector.wrap(m);
    }

    /** SameDiff's gradients; variables the loss does not depend on come back missing and are zero. */
    private Map<String, INDArray> gradients(List<String> names, Map<String, INDArray> feed) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        Map<String, INDArray> g = sd.calculateGradients(feed == null ? Map.of() : feed, names);
        for (String n : names) {
            INDArray a = g.get(n);
            out.put(n, a == null ? Nd4j.zeros(type, sd.getVariable(n).getArr().shape()) : a.dup());
        }
        return out;
    }

    private ParamVector difference(List<String> names, Map<String, INDArray> plus, Map<String, INDArray> minus, double h) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, plus.get(n).sub(minus.get(n)).divi(2 * h));
        }
        return ParamVector.wrap(m);
    }
}
