package org.hypergrad4j.repro.hypernets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.hypernets.hypernet.DecayScope;
import org.hypergrad4j.hypernets.hypernet.HypernetArchitecture;
import org.hypergrad4j.hypernets.hypernet.HypernetTrainer;
import org.hypergrad4j.hypernets.hypernet.HypernetTrainerConfig;
import org.hypergrad4j.hypernets.hypernet.HypernetworkObjective;
import org.hypergrad4j.hypernets.hypernet.HyperparameterRange;
import org.hypergrad4j.hypernets.hypernet.LambdaDistribution;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures the local (joint) hypernetwork's hypergradient over per-weight decay against the exact one
 * ({@link ExactPerWeightHypergradient}) along its run, and runs the exact-IFT per-weight tuning it is compared with.
 *
 * <p>At a probe point with hyperparameters {@code λ̂} the hypernetwork's hypergradient is
 * {@code g_h = d L_V(w_φ(λ̂))/dλ̂} (through the hypernetwork, float32) and the exact one is
 * {@code g* = d L_V(w*(λ̂))/dλ̂} (the classifier trained to convergence at {@code λ̂}, IFT, float64); a probe records
 * {@code cos(g_h, g*)}, {@code ‖g_h‖/‖g*‖}, the fit gap {@code L_T(w_φ(λ̂), λ̂) − L_T(w*(λ̂), λ̂)} on the whole training
 * set, and {@code L_V(w*(λ̂))}, the validation loss the current {@code λ̂} actually gives.
 */
public final class LocalHypernetDiagnosis {
    private LocalHypernetDiagnosis() {
    }

    /**
     * A local hypernetwork run.
     *
     * @param warmupSteps    φ-only steps at {@code λ ~ N(λ̂₀, σ²)} before the joint steps (λ̂ fixed)
     * @param jointSteps     joint steps (one φ update, then one λ̂ update); 0 for a warm-up alone
     * @param probeEvery     probe every this many steps of each phase
     * @param hypernetRate   Adam learning rate of φ
     * @param lambdaRate     Adam learning rate of λ̂
     * @param sigma          the local perturbation scale σ
     * @param batchSize      training examples per φ update (2 λ draws each)
     * @param seed           the hypernetwork's initialisation, minibatches and draws
     * @param zeroJacobian   start the output layer's λ-dependent weights at zero (the residual θ₀ then carries the
     *                       predicted weights), so that the initial Jacobian {@code ∂w_φ/∂λ} is 0 rather than random
     */
    public record HypernetSettings(int warmupSteps, int jointSteps, int probeEvery, double hypernetRate, double lambdaRate, double sigma,
                                   int batchSize, long seed, boolean zeroJacobian) {
        public HypernetSettings {
            if (warmupSteps < 0 || jointSteps < 0 || warmupSteps + jointSteps < 1 || probeEvery < 1) {
                throw new IllegalArgumentException("Need warm-up ≥ 0, joint steps ≥ 0, at least one step and probe every ≥ 1 step, got " + warmupSteps + ", "
                        + jointSteps + ", " + probeEvery + ".");
            }
        }
    }

    /**
     * One probe.
     *
     * @param phaseStep         steps done in the phase (warm-up or joint)
     * @param joint             whether in the joint phase (λ̂ moving)
     * @param cosine            {@code cos(g_h, g*)}
     * @param normRatio         {@code ‖g_h‖ / ‖g*‖}
     * @param fitGap            {@code L_T(w_φ(λ̂), λ̂) − L_T(w*(λ̂), λ̂)}, whole training set
     * @param predictedValidationLoss {@code L_V(w_φ(λ̂))}
     * @param refitValidationLoss     {@code L_V(w*(λ̂))}
     * @param refitTestLoss           the test cross-entropy of {@code w*(λ̂)}
     * @param lambdaSpread      the standard deviation of the components of λ̂
     * @param exactConverged    whether the reference converged: the refit to its gradient tolerance and CG to its residual target
     */
    public record Probe(int phaseStep, boolean joint, double cosine, double normRatio, double fitGap, double predictedValidationLoss,
                        double refitValidationLoss, double refitTestLoss, double lambdaSpread, boolean exactConverged) {
    }

    /** A run's probes, warm-up then joint, and how it ended. */
    public record HypernetRun(List<Probe> probes, TrainingSummary.Status status, double seconds) {
        public List<Probe> warmup() {
            return probes.stream().filter(p -> !p.joint()).toList();
        }

        public List<Probe> joint() {
            return probes.stream().filter(Probe::joint).toList();
        }

        /** The last probe (the run's end, or the last before it diverged). */
        public Probe last() {
            return probes.get(probes.size() - 1);
        }
    }

    /**
     * Trains a linear hypernetwork with the magnitude-invariant parametrisation over per-weight decay, λ̂ from
     * {@code initialLambda} in every component: {@code warmupSteps} φ-only steps at {@code λ ~ N(λ̂₀, σ²)}, then
     * {@code jointSteps} joint steps, probing every {@code probeEvery} steps of each phase (and at each phase's start).
     */
    public static HypernetRun hypernet(Split parts, ExactPerWeightHypergradient exact, HyperparameterRange range, double initialLambda,
                                       HypernetSettings s) {
        Objects.requireNonNull(parts, "parts");
        long start = System.nanoTime();
        HypernetworkObjective objective = HypernetworkObjective.builder(parts.train().numFeatures(), parts.train().numClasses())
                .scope(DecayScope.PER_WEIGHT).range(range).architecture(HypernetArchitecture.linear().withMagnitudeInvariance())
                .seed(s.seed()).initialLambda(initialLambda).build();
        if (s.zeroJacobian()) {
            // The linear hypernetwork's only λ-dependent parameters: its output maps of the encoding.
            objective.hypernetParameters().get("hyper_AW").assign(0);
            objective.hypernetParameters().get("hyper_Ab").assign(0);
        }
        Prober prober = new Prober(parts, exact, objective);
        List<Probe> probes = new ArrayList<>();
        // One Adam for φ across both phases: the warm-up's moment estimates carry into the joint steps.
        Adam phiOptimizer = new Adam(s.hypernetRate());
        if (s.warmupSteps() > 0) {
            HypernetTrainer warm = new HypernetTrainer(objective, parts.train(), parts.validation(), LambdaDistribution.normal(initialLambda, s.sigma()),
                    phiOptimizer, new Adam(s.lambdaRate()), HypernetTrainerConfig.global(s.warmupSteps(), 0).withBatchSize(s.batchSize())
                    .withSeed(s.seed()));
            for (int t = 0; t <= s.warmupSteps(); t += s.probeEvery()) {
                if (t > 0) {
                    TrainingSummary r = warm.runUntil(t);
                    if (r.status() == TrainingSummary.Status.DIVERGED) {
                        return new HypernetRun(probes, r.status(), seconds(start));
                    }
                }
                probes.add(prober.probe(t, false));
            }
        }
        if (s.jointSteps() == 0) {
            return new HypernetRun(probes, TrainingSummary.Status.COMPLETED, seconds(start));
        }
        // A different stream of minibatches and draws from the warm-up's (the joint trainer counts its steps from 0).
        HypernetTrainer joint = new HypernetTrainer(objective, parts.train(), parts.validation(), null, phiOptimizer, new Adam(s.lambdaRate()),
                HypernetTrainerConfig.joint(s.jointSteps(), s.sigma()).withBatchSize(s.batchSize()).withSeed(s.seed() + 1_000_003L));
        TrainingSummary.Status status = TrainingSummary.Status.COMPLETED;
        for (int t = 0; t <= s.jointSteps(); t += s.probeEvery()) {
            if (t > 0) {
                TrainingSummary r = joint.runUntil(t);
                if (r.status() == TrainingSummary.Status.DIVERGED) {
                    status = r.status();
                    break;
                }
            }
            probes.add(prober.probe(t, true));
        }
        return new HypernetRun(probes, status, seconds(start));
    }

    /**
     * Exact-IFT per-weight tuning: λ from {@code initialLambda} in every component, {@code steps} Adam steps at {@code rate}
     * on {@code g*}.
     *
     * @return the validation (index 0) and test (index 1) loss of {@code w*(λ_t)} for {@code t = 0 … steps}, and (index 2) 1 where
     *     the refit and the CG solve converged, else 0
     */
    public static double[][] exactPerWeight(Split parts, ExactPerWeightHypergradient exact, double initialLambda, int steps, double rate) {
        int m = parts.train().numFeatures() * parts.train().numClasses();
        double[] lambda = new double[m];
        Arrays.fill(lambda, initialLambda);
        ParamVector p = ParamVector.of("lambda", Nd4j.createFromArray(lambda));
        Adam adam = new Adam(rate);
        double[][] curve = new double[3][steps + 1];
        double[] warm = null;
        for (int t = 0; t <= steps; t++) {
            ExactPerWeightHypergradient.Result r = exact.at(p.get("lambda").toDoubleVector(), warm);
            warm = r.weights();
            curve[0][t] = r.validationLoss();
            curve[1][t] = SoftmaxRegressionFit.crossEntropy(r.weights(), parts.test());
            curve[2][t] = r.fitConverged() && r.solveConverged() ? 1 : 0;
            if (t < steps) {
                adam.step(p, ParamVector.of("lambda", Nd4j.createFromArray(r.hypergradient())));
            }
        }
        return curve;
    }

    /** Probes a hypernetwork's current λ̂; warm-starts each exact fit from the previous one's weights. */
    private static final class Prober {
        private final Split parts;
        private final ExactPerWeightHypergradient exact;
        private final HypernetworkObjective objective;
        private final INDArray trainX;
        private final INDArray trainY;
        private final INDArray validationX;
        private final INDArray validationY;
        private double[] warm;

        Prober(Split parts, ExactPerWeightHypergradient exact, HypernetworkObjective objective) {
            this.parts = parts;
            this.exact = exact;
            this.objective = objective;
            this.trainX = parts.train().toFeatures(objective.dataType());
            this.trainY = parts.train().toOneHotLabels(objective.dataType());
            this.validationX = parts.validation().toFeatures(objective.dataType());
            this.validationY = parts.validation().toOneHotLabels(objective.dataType());
        }

        Probe probe(int step, boolean joint) {
            double[] hat = objective.lambdaHat();
            HypernetworkObjective.ValueAndGradient vg = objective.validationLossAndGradient(validationX, validationY);
            double[] gh = vg.gradient().toDoubleArray();
            ExactPerWeightHypergradient.Result r = exact.at(hat, warm);
            warm = r.weights();
            double hypernetObjective = objective.trainingObjective(trainX, trainY, new double[][] {hat});
            double mean = Arrays.stream(hat).average().orElseThrow();
            double spread = Math.sqrt(Arrays.stream(hat).map(h -> (h - mean) * (h - mean)).average().orElseThrow());
            return new Probe(step, joint, ExactPerWeightHypergradient.cosine(gh, r.hypergradient()),
                    ExactPerWeightHypergradient.normRatio(gh, r.hypergradient()), hypernetObjective - r.trainingObjective(), vg.value(),
                    r.validationLoss(), SoftmaxRegressionFit.crossEntropy(r.weights(), parts.test()), spread, r.fitConverged() && r.solveConverged());
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
