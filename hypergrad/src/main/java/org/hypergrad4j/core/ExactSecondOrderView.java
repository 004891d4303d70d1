package org.hypergrad4j.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hypergrad4j.autodiff.GradientGraph;
import org.hypergrad4j.autodiff.GradientTransform;
import org.hypergrad4j.autodiff.MissingPath;
import org.hypergrad4j.autodiff.NoGradientPathException;
import org.hypergrad4j.engine.GraphEngine;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Exact first and second derivatives by appending gradient graphs with {@link GradientTransform}.
 *
 * <p>Built once, in the loss's own graph:
 * <ol>
 *   <li>{@code g_w = ∂L/∂w}, {@code g_λ = ∂L/∂λ} (first level);</li>
 *   <li>placeholders {@code v} (weight-shaped) and {@code s = Σ_i ⟨g_{w_i}, v_i⟩}; its gradient gives
 *       {@code ∂s/∂w = H v} and {@code ∂s/∂λ = (∂²L/∂λ∂w) v} in one reverse pass;</li>
 *   <li>placeholders {@code u} (hyperparameter-shaped) and {@code t = Σ_j ⟨g_{λ_j}, u_j⟩}; its gradient
 *       with respect to {@code w} gives {@code (∂²L/∂w∂λ) u}.</li>
 * </ol>
 * Each call evaluates only the nodes it needs, with the graph's current variable arrays, on the
 * {@link GraphEngine} by default: it reuses values whose inputs did not change since the previous
 * call (the forward pass across Hessian-vector products at one point, {@code exp(λ)} across weight
 * updates). {@link Executor#SAMEDIFF} evaluates with SameDiff's {@code output()} instead (the
 * reference the engine is tested against); its inference sessions are cleared every
 * {@link #SESSION_CLEAR_INTERVAL} calls, because they retain Java heap per call otherwise.
 */
public final class ExactSecondOrderView extends GraphBackedView {
    /** Calls between clearing SameDiff's per-thread inference sessions (bounds retained heap). */
    public static final int SESSION_CLEAR_INTERVAL = 200;

    private final Map<String, String> gradientOf = new LinkedHashMap<>();
    private final Map<String, String> vPlaceholder = new LinkedHashMap<>();
    private final Map<String, String> uPlaceholder = new LinkedHashMap<>();
    private final Map<String, String> hvOf = new LinkedHashMap<>();
    private final Map<String, String> mixedOf = new LinkedHashMap<>();
    private final Map<String, String> mixedTransposeOf = new LinkedHashMap<>();
    private final int appendedOps;
    private long calls;
    private Executor executor = Executor.ENGINE;
    private GraphEngine engine;

    /** What evaluates the graph. */
    public enum Executor {
        /** {@link GraphEngine}: compiled plans with cached values (the default). */
        ENGINE,
        /** SameDiff's interpreter ({@code output()}), the reference. */
        SAMEDIFF
    }

    private ExactSecondOrderView(SameDiff sd, String loss, List<String> weights, List<String> hypers, GradientTransform transform) {
        super(sd, loss, weights, hypers);
        int opsBefore = sd.getOps().size();

        List<SDVariable> all = new ArrayList<>();
        weights.forEach(n -> all.add(sd.getVariable(n)));
        hypers.forEach(n -> all.add(sd.getVariable(n)));
        GradientGraph first = transform.append(sd.getVariable(loss), all, MissingPath.ZERO);
        for (String w : weights) {
            if (!first.has(w)) {
                throw new NoGradientPathException(loss, w);
            }
        }
        first.asMap().forEach((k, g) -> gradientOf.put(k, g.name()));

        SDVariable s = null;
        for (String w : weights) {
            SDVariable wv = sd.getVariable(w);
            SDVariable v = sd.placeHolder(unique("hvp_v/" + w), type, wv.getArr().shape());
            vPlaceholder.put(w, v.name());
            SDVariable term = first.gradient(w).mul(v).sum();
            s = s == null ? term : s.add(term);
        }
        GradientGraph second = transform.append(s, all, MissingPath.ZERO);
        second.asMap().forEach((k, g) -> (weightNames.contains(k) ? hvOf : mixedOf).put(k, g.name()));

        SDVariable t = null;
        for (String h : hypers) {
            if (!first.has(h)) {
                continue;
            }
            SDVariable u = sd.placeHolder(unique("mixed_u/" + h), type, sd.getVariable(h).getArr().shape());
            uPlaceholder.put(h, u.name());
            SDVariable term = first.gradient(h).mul(u).sum();
            t = t == null ? term : t.add(term);
        }
        if (t != null) {
            List<SDVariable> ws = new ArrayList<>();
            weights.forEach(n -> ws.add(sd.getVariable(n)));
            GradientGraph third = transform.append(t, ws, MissingPath.ZERO);
            third.asMap().forEach((k, g) -> mixedTransposeOf.put(k, g.name()));
        }
        this.appendedOps = sd.getOps().size() - opsBefore;
    }

    /** Builds the view with the built-in rules. See {@link #build(SameDiff, String, List, List, GradientTransform)}. */
    public static ExactSecondOrderView build(SameDiff sd, String loss, List<String> weights, List<String> hyperparameters) {
        return build(sd, loss, weights, hyperparameters, GradientTransform.withBuiltinRules());
    }

    /**
     * Appends the first- and second-order graphs for {@code loss} to {@code sd}.
     *
     * @param weights         trainable variables {@code w}; the loss must depend on each
     * @param hyperparameters trainable variables {@code λ} (may be empty; the loss need not depend on them)
     * @throws org.hypergrad4j.autodiff.UnsupportedOpException if an op on the path has no rule (graph left unchanged)
     * @throws IllegalArgumentException if a name is missing, not a trainable variable, or of another type than the loss
     */
    public static ExactSecondOrderView build(SameDiff sd, String loss, List<String> weights, List<String> hyperparameters,
                                             GradientTransform transform) {
        return new ExactSecondOrderView(sd, loss, weights, hyperparameters, transform);
    }

    private String unique(String base) {
        String name = base;
        for (int i = 1; sd.hasVariable(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    /** Selects what evaluates the graph (the engine by default); returns this view. */
    public ExactSecondOrderView executor(Executor executor) {
        this.executor = java.util.Objects.requireNonNull(executor, "executor");
        return this;
    }

    /** What evaluates the graph. */
    public Executor executor() {
        return executor;
    }

    /** The engine's counters (empty before the first engine call). */
    public Optional<GraphEngine.Statistics> engineStatistics() {
        return engine == null ? Optional.empty() : Optional.of(engine.statistics());
    }

    /** The graph this view extends. */
    public SameDiff graph() {
        return sd;
    }

    /** How many ops the view appended to the graph (all three levels). */
    public int appendedOps() {
        return appendedOps;
    }

    /** The graph variable holding {@code ∂L/∂name}, for composing further graphs; empty if L does not depend on it. */
    public Optional<SDVariable> gradientVariable(String name) {
        String g = gradientOf.get(name);
        return g == null ? Optional.empty() : Optional.of(sd.getVariable(g));
    }

    /** The placeholder through which the direction {@code v} for weight {@code weight} is fed. */
    public SDVariable directionPlaceholder(String weight) {
        return sd.getVariable(requireKnown(vPlaceholder, weight));
    }

    /** The graph variable holding the {@code weight} block of {@code H v}, for {@code v} fed through {@link #directionPlaceholder}. */
    public Optional<SDVariable> hessianVectorVariable(String weight) {
        requireKnown(vPlaceholder, weight);
        String node = hvOf.get(weight);
        return node == null ? Optional.empty() : Optional.of(sd.getVariable(node));
    }

    private String requireKnown(Map<String, String> map, String name) {
        String value = map.get(name);
        if (value == null) {
            throw new IllegalArgumentException("'" + name + "' is not a weight of this view; weights are " + weightNames + ".");
        }
        return value;
    }

    @Override
    public boolean isExact() {
        return true;
    }

    @Override
    public double loss(Map<String, INDArray> feed) {
        return run(feed, List.of(loss)).get(loss).getDouble(0);
    }

    @Override
    public LossAndGradient lossAndGradient(Map<String, INDArray> feed) {
        List<String> outputs = new ArrayList<>();
        outputs.add(loss);
        outputs.addAll(gradientOf.values());
        Map<String, INDArray> out = run(feed, outputs);
        return new LossAndGradient(out.get(loss).getDouble(0),
                collect(weightNames, gradientOf, out), collect(hyperNames, gradientOf, out));
    }

    @Override
    public CurvatureProducts hessianAndMixed(ParamVector v, Map<String, INDArray> feed) {
        ParamVector vv = ViewSupport.conform(v, weights(), "the Hessian");
        List<String> outputs = new ArrayList<>(hvOf.values());
        outputs.addAll(mixedOf.values());
        Map<String, INDArray> out = run(withDirection(feed, vPlaceholder, vv), outputs);
        return new CurvatureProducts(collect(weightNames, hvOf, out), collect(hyperNames, mixedOf, out));
    }

    @Override
    public ParamVector hessianVector(ParamVector v, Map<String, INDArray> feed) {
        ParamVector vv = ViewSupport.conform(v, weights(), "the Hessian");
        Map<String, INDArray> out = run(withDirection(feed, vPlaceholder, vv), new ArrayList<>(hvOf.values()));
        return collect(weightNames, hvOf, out);
    }

    @Override
    public <T> T atFixedPoint(java.util.function.Supplier<T> body) {
        if (executor != Executor.ENGINE) {
            return body.get();
        }
        java.util.Set<String> directions = new java.util.HashSet<>(vPlaceholder.values());
        directions.addAll(uPlaceholder.values());
        return engine().withFixedPoint(directions, body);
    }

    @Override
    public double lossAndWeightGradientInto(Map<String, INDArray> feed, ParamVector gradientTarget) {
        if (executor != Executor.ENGINE) {
            LossAndGradient lg = lossAndGradient(feed);
            gradientTarget.assignInPlace(lg.weightGradient());
            return lg.loss();
        }
        weights().checkCompatible(gradientTarget);
        List<String> outputs = new ArrayList<>();
        outputs.add(loss);
        Map<String, INDArray> targets = new HashMap<>();
        for (String w : weightNames) {
            outputs.add(gradientOf.get(w));
            targets.put(gradientOf.get(w), gradientTarget.get(w));
        }
        return engine().outputInto(feed == null ? Map.of() : feed, outputs, targets).get(loss).getDouble(0);
    }

    @Override
    public ParamVector hessianVectorInto(ParamVector v, Map<String, INDArray> feed, ParamVector target) {
        if (executor != Executor.ENGINE) {
            return target.assignInPlace(hessianVector(v, feed));
        }
        ParamVector vv = ViewSupport.conform(v, weights(), "the Hessian");
        weights().checkCompatible(target);
        Map<String, INDArray> targets = new HashMap<>();
        hvOf.forEach((w, node) -> targets.put(node, target.get(w)));
        engine().outputInto(withDirection(feed, vPlaceholder, vv), new ArrayList<>(hvOf.values()), targets);
        for (String w : weightNames) {
            if (!hvOf.containsKey(w)) {
                target.get(w).assign(0);
            }
        }
        return target;
    }

    @Override
    public ParamVector mixedVector(ParamVector v, Map<String, INDArray> feed) {
        ParamVector vv = ViewSupport.conform(v, weights(), "the mixed derivative ∂²L/∂λ∂w");
        if (mixedOf.isEmpty()) {
            return hyperparameters().zerosLike();
        }
        Map<String, INDArray> out = run(withDirection(feed, vPlaceholder, vv), new ArrayList<>(mixedOf.values()));
        return collect(hyperNames, mixedOf, out);
    }

    @Override
    public ParamVector mixedTransposeProduct(ParamVector u, Map<String, INDArray> feed) {
        ParamVector uu = ViewSupport.conform(u, hyperparameters(), "the mixed derivative ∂²L/∂w∂λ");
        if (mixedTransposeOf.isEmpty()) {
            return weights().zerosLike();
        }
        Map<String, INDArray> out = run(withDirection(feed, uPlaceholder, uu), new ArrayList<>(mixedTransposeOf.values()));
        return collect(weightNames, mixedTransposeOf, out);
    }

    /** The engine, made on first use (a view evaluated only by SameDiff never makes one). */
    private GraphEngine engine() {
        if (engine == null) {
            engine = GraphEngine.of(sd);
        }
        return engine;
    }

    /** {@code feed} plus {@code direction}'s tensors fed through the placeholders named in {@code placeholderOf}. */
    private static Map<String, INDArray> withDirection(Map<String, INDArray> feed, Map<String, String> placeholderOf, ParamVector direction) {
        Map<String, INDArray> extra = new HashMap<>();
        placeholderOf.forEach((n, p) -> extra.put(p, direction.get(n)));
        return ViewSupport.merge(feed, extra);
    }

    private Map<String, INDArray> run(Map<String, INDArray> feed, List<String> outputs) {
        if (executor == Executor.ENGINE) {
            // The engine returns new arrays owned by the caller.
            return engine().output(feed == null ? Map.of() : feed, outputs);
        }
        Map<String, INDArray> out = sd.output(feed == null ? Map.of() : feed, outputs);
        Map<String, INDArray> copies = new HashMap<>();
        // Session arrays may be reused by the next call: keep our own copies.
        out.forEach((k, a) -> copies.put(k, a.dup()));
        if (++calls % SESSION_CLEAR_INTERVAL == 0) {
            sd.getSessions().clear();
        }
        return copies;
    }

    private ParamVector collect(List<String> names, Map<String, String> nodeOf, Map<String, INDArray> out) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String n : names) {
            String node = nodeOf.get(n);
            m.put(n, node == null ? Nd4j.zeros(type, sd.getVariable(n).getArr().shape()) : out.get(node));
        }
        return ParamVector.wrap(m);
    }
}
