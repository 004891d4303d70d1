package org.hypergrad4j.hypernets.stn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypergrad4j.core.ParamVector;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The hyperparameters of a self-tuning network: their unconstrained values {@code λ} (a [1, h] row, the
 * tensor {@value #LAMBDA}) and the raw perturbation scales {@code ρ} ([1, h], the tensor {@value #SCALE}),
 * with perturbation scale {@code softplus(ρ)}.
 *
 * <p>Training steps use per-example perturbed values {@code λ̃ = λ + softplus(ρ) ⊙ ε}, {@code ε ~ N(0, I)};
 * the entropy of that Gaussian, {@code H = Σ_j log(softplus(ρ_j)·√(2πe))}, is rewarded in the hyper step
 * ({@code minimise L_V − τ·H}) so that the perturbation does not collapse.
 */
public final class StnHyperparameters {
    public static final String LAMBDA = "stn.lambda";
    public static final String SCALE = "stn.scale";
    /** The paper's initial perturbation scale. */
    public static final double DEFAULT_INITIAL_SCALE = 0.5;

    private final List<StnHyperparameter> specs;
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private INDArray lambda;
    private INDArray scaleRaw;

    /** Hyperparameters at their initial values with perturbation scale {@code initialScale} (&gt; 0) each. */
    public StnHyperparameters(List<StnHyperparameter> specs, double initialScale) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("A self-tuning network needs at least one hyperparameter.");
        }
        if (!(initialScale > 0) || !Double.isFinite(initialScale)) {
            throw new IllegalArgumentException("The initial perturbation scale must be finite and > 0; got " + initialScale + ".");
        }
        this.specs = List.copyOf(specs);
        double[] u = new double[specs.size()];
        double[] rho = new double[specs.size()];
        for (int j = 0; j < specs.size(); j++) {
            StnHyperparameter s = specs.get(j);
            if (index.put(s.name(), j) != null) {
                throw new IllegalArgumentException("Hyperparameter name '" + s.name() + "' appears twice.");
            }
            u[j] = s.unconstrained(s.initial());
            rho[j] = Math.log(Math.expm1(initialScale));
        }
        lambda = Nd4j.createFromArray(u).reshape(1, u.length);
        scaleRaw = Nd4j.createFromArray(rho).reshape(1, rho.length);
    }

    public StnHyperparameters(List<StnHyperparameter> specs) {
        this(specs, DEFAULT_INITIAL_SCALE);
    }

    /** Number of hyperparameters {@code h}. */
    public int count() {
        return specs.size();
    }

    public List<StnHyperparameter> specs() {
        return specs;
    }

    /** Column of hyperparameter {@code name}. */
    public int indexOf(String name) {
        Integer j = index.get(name);
        if (j == null) {
            throw new IllegalArgumentException("No hyperparameter named '" + name + "'; known: " + index.keySet() + ".");
        }
        return j;
    }

    public boolean has(String name) {
        return index.containsKey(name);
    }

    public StnHyperparameter spec(String name) {
        return specs.get(indexOf(name));
    }

    /** The unconstrained values {@code λ}, [1, h] (live: updated in place by the hyper step). */
    public INDArray lambda() {
        return lambda;
    }

    /** The raw perturbation scales {@code ρ}, [1, h] (live). */
    public INDArray scaleRaw() {
        return scaleRaw;
    }

    /** {@code λ} and {@code ρ} as one vector (the same arrays), for the hyper optimiser. */
    public ParamVector asParamVector() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(LAMBDA, lambda);
        m.put(SCALE, scaleRaw);
        return ParamVector.wrap(m);
    }

    /** Makes the graph's arrays the live ones, copying the current values into them. */
    void bind(INDArray graphLambda, INDArray graphScaleRaw) {
        graphLambda.assign(lambda.castTo(graphLambda.dataType()));
        graphScaleRaw.assign(scaleRaw.castTo(graphScaleRaw.dataType()));
        lambda = graphLambda;
        scaleRaw = graphScaleRaw;
    }

    /** Current value of each hyperparameter, by name. */
    public Map<String, Double> values() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int j = 0; j < specs.size(); j++) {
            m.put(specs.get(j).name(), specs.get(j).value(lambda.getDouble(0, j)));
        }
        return m;
    }

    /** Current value of {@code name}. */
    public double value(String name) {
        int j = indexOf(name);
        return specs.get(j).value(lambda.getDouble(0, j));
    }

    /** Sets {@code name} to {@code v} (in its range). */
    public void setValue(String name, double v) {
        int j = indexOf(name);
        lambda.putScalar(0, j, specs.get(j).unconstrained(v));
    }

    /** Current perturbation scales {@code softplus(ρ)}, by name. */
    public Map<String, Double> scales() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int j = 0; j < specs.size(); j++) {
            m.put(specs.get(j).name(), softplus(scaleRaw.getDouble(0, j)));
        }
        return m;
    }

    /** {@code λ̃ = λ + softplus(ρ) ⊙ ε} for noise {@code ε} [b, h]: one perturbed unconstrained row per example. */
    public double[][] perturbed(double[][] epsilon) {
        double[][] out = new double[epsilon.length][specs.size()];
        for (int i = 0; i < epsilon.length; i++) {
            if (epsilon[i].length != specs.size()) {
                throw new IllegalArgumentException("Noise row " + i + " has " + epsilon[i].length + " entries; expected " + specs.size() + ".");
            }
            for (int j = 0; j < specs.size(); j++) {
                out[i][j] = lambda.getDouble(0, j) + softplus(scaleRaw.getDouble(0, j)) * epsilon[i][j];
            }
        }
        return out;
    }

    /** Values of each hyperparameter for each example's perturbed row: [b][h]. */
    public double[][] valuesOf(double[][] unconstrainedRows) {
        double[][] out = new double[unconstrainedRows.length][specs.size()];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < specs.size(); j++) {
                out[i][j] = specs.get(j).value(unconstrainedRows[i][j]);
            }
        }
        return out;
    }

    /** {@code H = Σ_j log(softplus(ρ_j)·√(2πe))}, the entropy of the perturbation distribution. */
    public double entropy() {
        double h = 0;
        for (int j = 0; j < specs.size(); j++) {
            h += Math.log(softplus(scaleRaw.getDouble(0, j)) * Math.sqrt(2 * Math.PI * Math.E));
        }
        return h;
    }

    /** {@code ∂H/∂ρ_j = σ(ρ_j) / softplus(ρ_j)}, as a [1, h] array of {@code type}. */
    public INDArray entropyGradient(DataType type) {
        double[] g = new double[specs.size()];
        for (int j = 0; j < g.length; j++) {
            double r = scaleRaw.getDouble(0, j);
            g[j] = StnHyperparameter.sigmoid(r) / softplus(r);
        }
        return Nd4j.createFromArray(g).reshape(1, g.length).castTo(type);
    }

    static double softplus(double x) {
        return x > 30 ? x : Math.log1p(Math.exp(x));
    }

    /** Names in column order. */
    public List<String> names() {
        return new ArrayList<>(index.keySet());
    }
}
