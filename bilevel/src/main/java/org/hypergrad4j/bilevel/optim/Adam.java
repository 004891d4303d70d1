package org.hypergrad4j.bilevel.optim;

import org.hypergrad4j.core.ParamVector;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba 2015): {@code m ← β₁m + (1−β₁)g}, {@code s ← β₂s + (1−β₂)g²},
 * {@code θ ← θ − η · m̂ / (√ŝ + ε)} with bias corrections {@code m̂ = m/(1−β₁ᵗ)}, {@code ŝ = s/(1−β₂ᵗ)}.
 */
public final class Adam extends BufferedOptimizer {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("Adam learning rate must be positive and finite, got " + learningRate + ".");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must lie in [0, 1), got " + beta1 + " and " + beta2 + ".");
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adam epsilon must be positive, got " + epsilon + ".");
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** Adam with the usual defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8. */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    @Override
    public void step(ParamVector params, ParamVector gradient) {
        params.checkCompatible(gradient);
        ParamVector m = buffer("m", params);
        ParamVector s = buffer("s", params);
        long t = countStep();
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (String name : params.names()) {
            INDArray g = gradient.get(name);
            INDArray mi = m.get(name);
            INDArray si = s.get(name);
            if (stepInPlace(params.get(name), g, mi, si, c1, c2)) {
                continue;
            }
            mi.muli(beta1).addi(g.mul(1 - beta1));
            si.muli(beta2).addi(g.mul(g).muli(1 - beta2));
            INDArray denom = Transforms.sqrt(si.div(c2), true).addi(epsilon);
            params.get(name).subi(mi.div(c1).divi(denom).muli(learningRate));
        }
    }

    /**
     * The same update, element by element in the arrays' own precision and in the same order of operations
     * as the ND4J ops below (so the same numbers), without their five temporary arrays per tensor; for
     * float arrays that own their whole buffer. Returns false where it does not apply.
     */
    private boolean stepInPlace(INDArray p, INDArray g, INDArray m, INDArray s, double c1, double c2) {
        for (INDArray a : new INDArray[] {p, g, m, s}) {
            if (a.dataType() != DataType.FLOAT || a.isView() || a.offset() != 0 || a.data().length() != a.length()
                    || a.ordering() != 'c' && a.rank() > 1) {
                return false;
            }
        }
        java.nio.FloatBuffer pb = p.data().asNio().order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        java.nio.FloatBuffer gb = g.data().asNio().order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        java.nio.FloatBuffer mb = m.data().asNio().order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        java.nio.FloatBuffer sb = s.data().asNio().order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float fc1 = (float) c1;
        float fc2 = (float) c2;
        float eps = (float) epsilon;
        float lr = (float) learningRate;
        int n = (int) p.length();
        for (int i = 0; i < n; i++) {
            float gi = gb.get(i);
            float mi = mb.get(i) * b1 + gi * oneMinusB1;
            float si = sb.get(i) * b2 + (gi * gi) * oneMinusB2;
            mb.put(i, mi);
            sb.put(i, si);
            float denom = (float) Math.sqrt(si / fc2) + eps;
            pb.put(i, pb.get(i) - ((mi / fc1) / denom) * lr);
        }
        return true;
    }

    @Override
    public String describe() {
        return "Adam(lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ")";
    }
}
