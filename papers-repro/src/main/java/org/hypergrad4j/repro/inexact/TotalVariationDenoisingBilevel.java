package org.hypergrad4j.repro.inexact;

import org.hypergrad4j.core.ArraySecondOrderView;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.hypergrad4j.bilevel.inexact.InexactProblem;
import org.hypergrad4j.bilevel.inexact.LbfgsSolver;
import org.hypergrad4j.core.CurvatureProducts;
import org.hypergrad4j.core.LossAndGradient;
import org.hypergrad4j.core.ParamVector;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Learning the two hyperparameters of smoothed total-variation denoising (the MAID paper's third experiment),
 * over {@code K} square {@code m × m} images denoised jointly (the lower level is separable across images):
 * <pre>
 * lower  g(x, θ) = ½‖x − y‖² + e^{θ₁} Σ_p sqrt(|(Dx)_p|² + γ²),   γ = e^{θ₂}
 * upper  f(x)    = ½‖x − x̄‖²
 * </pre>
 * with {@code y} the noisy images, {@code x̄} the clean ones and {@code D} forward differences with Neumann
 * boundary: {@code (Dx)_p = (x_{r,c+1} − x_{r,c}, x_{r+1,c} − x_{r,c})}, a component being 0 in the last column
 * (row). The smoothing {@code γ > 0} makes {@code g} twice differentiable; the quadratic data term makes it
 * 1-strongly convex.
 *
 * <p>Derivatives (hand-written, float64, computed on {@code double[]} copies), with {@code t_p = (Dx)_p}, {@code r_p = sqrt(|t_p|² + γ²)},
 * {@code u = Dv}:
 * <pre>
 * ∇_x g = x − y + e^{θ₁} Dᵀ(t/r)
 * ∇_θ g = (e^{θ₁} Σ r,  e^{θ₁} γ² Σ 1/r)
 * ∇²_x g v = v + e^{θ₁} Dᵀ(u/r − t (t·u)/r³)
 * (∂²g/∂θ∂x) v = (e^{θ₁} Σ t·u/r,  −e^{θ₁} γ² Σ t·u/r³)
 * </pre>
 *
 * <p>MAID's constants ({@link #constants}), using {@code ‖D‖² ≤ 8}, {@code |(Dδ)_p| ≤ √3 ‖δ‖} (each
 * {@code (Dδ)_p} reads 3 pixels through {@code [[−1, 1, 0], [−1, 0, 1]]}, of norm √3), and for
 * {@code φ(t) = sqrt(|t|² + γ²)}: {@code ‖∇²φ‖ ≤ 1/γ}, third derivative {@code ≤ 2/(√3 γ²)}, and the Jacobian
 * of {@code γ² t/r³} at most {@code 1/γ}:
 * <ul>
 *   <li>{@code μ = 1};</li>
 *   <li>{@code L_g = 1 + 8 e^{θ₁}/γ};</li>
 *   <li>{@code L_f = 1};</li>
 *   <li>{@code ‖∂²g/∂θ∂x‖}: computed exactly at the current {@code x} (the spectral norm of its two rows
 *       {@code e^{θ₁}Dᵀ(t/r)} and {@code −e^{θ₁}γ²Dᵀ(t/r³)});</li>
 *   <li>{@code L_B = 8√2 e^{θ₁}/γ} (each row is {@code 8e^{θ₁}/γ}-Lipschitz in {@code x});</li>
 *   <li>{@code L_H = 16 e^{θ₁}/γ²} ({@code = e^{θ₁} · 2/(√3γ²) · √3 · 8});</li>
 *   <li>{@code L_∇F}: not estimated ({@code NaN}).</li>
 * </ul>
 */
public final class TotalVariationDenoisingBilevel {
    /** The weight tensor's name (the denoised images). */
    public static final String IMAGES = "x";
    /** The hyperparameter tensor's name ({@code θ₁} = log weight, {@code θ₂} = log smoothing). */
    public static final String THETA = "theta";

    /**
     * Clean images and their noisy versions, both {@code K × m × m} with values of the clean ones in {@code [0, 1]}.
     *
     * @param clean the clean images
     * @param noisy the clean images plus noise
     */
    public record Crops(INDArray clean, INDArray noisy) {
        public Crops {
            Objects.requireNonNull(clean, "clean");
            Objects.requireNonNull(noisy, "noisy");
            if (clean.rank() != 3 || clean.size(1) != clean.size(2) || clean.size(1) < 2) {
                throw new IllegalArgumentException("The clean images must be K × m × m with m ≥ 2, got shape "
                        + Arrays.toString(clean.shape()) + ".");
            }
            if (!Arrays.equals(clean.shape(), noisy.shape())) {
                throw new IllegalArgumentException("The noisy images' shape " + Arrays.toString(noisy.shape())
                        + " differs from the clean images' " + Arrays.toString(clean.shape()) + ".");
            }
            clean = clean.castTo(DataType.DOUBLE).dup();
            noisy = noisy.castTo(DataType.DOUBLE).dup();
        }

        /**
         * {@code count} square crops of side {@code size} at uniformly random positions of {@code image} (seeded
         * by {@code random}), each with i.i.d. Gaussian noise of standard deviation {@code sigma} added (no clipping).
         *
         * @throws IllegalArgumentException if the image is smaller than a crop, or count, size or sigma is out of range
         */
        public static Crops sample(double[][] image, int count, int size, double sigma, Random random) {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(random, "random");
            if (count < 1 || size < 2) {
                throw new IllegalArgumentException("Need at least one crop of side at least 2, got " + count + " crops of side " + size + ".");
            }
            if (!(sigma >= 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("The noise level σ must be finite and non-negative, got " + sigma + ".");
            }
            if (image.length < size || image[0].length < size) {
                throw new IllegalArgumentException("The image (" + image.length + " × " + image[0].length
                        + ") is smaller than a " + size + " × " + size + " crop.");
            }
            double[][][] clean = new double[count][size][size];
            double[][][] noisy = new double[count][size][size];
            for (int k = 0; k < count; k++) {
                int top = random.nextInt(image.length - size + 1);
                int left = random.nextInt(image[0].length - size + 1);
                for (int r = 0; r < size; r++) {
                    for (int c = 0; c < size; c++) {
                        clean[k][r][c] = image[top + r][left + c];
                        noisy[k][r][c] = clean[k][r][c] + sigma * random.nextGaussian();
                    }
                }
            }
            return new Crops(Nd4j.createFromArray(clean), Nd4j.createFromArray(noisy));
        }

        /** The number of images {@code K}. */
        public int count() {
            return (int) clean.size(0);
        }

        /** The side {@code m} of each image. */
        public int side() {
            return (int) clean.size(1);
        }
    }

    private final double[] clean;
    private final double[] noisy;
    private final INDArray images;
    private final INDArray theta;
    private final int side;
    private final InexactProblem problem;

    /**
     * @param crops        the training images (the denoised images start at the noisy ones)
     * @param initialTheta {@code (θ₁, θ₂)}
     * @throws IllegalArgumentException if {@code initialTheta} does not hold two finite values
     */
    public TotalVariationDenoisingBilevel(Crops crops, double[] initialTheta) {
        Objects.requireNonNull(crops, "crops");
        Objects.requireNonNull(initialTheta, "initialTheta");
        if (initialTheta.length != 2 || !Double.isFinite(initialTheta[0]) || !Double.isFinite(initialTheta[1])) {
            throw new IllegalArgumentException("θ must hold two finite values (log weight, log smoothing), got "
                    + Arrays.toString(initialTheta) + ".");
        }
        this.clean = ArraySecondOrderView.flat(crops.clean());
        this.noisy = ArraySecondOrderView.flat(crops.noisy());
        this.images = crops.noisy().dup();
        this.theta = Nd4j.createFromArray(initialTheta.clone());
        this.side = crops.side();
        this.problem = new InexactProblem(new Lower(images, theta), Map.of(), new Upper(images, theta), Map.of(), this::constants);
    }

    /** The bilevel problem over this object's live image and hyperparameter arrays. */
    public InexactProblem problem() {
        return problem;
    }

    /** The live hyperparameters {@code (θ₁, θ₂)}. */
    public INDArray theta() {
        return theta;
    }

    /** The live denoised images ({@code K × m × m}). */
    public INDArray images() {
        return images;
    }

    /** The constants described in the class comment, at the given point. */
    public InexactProblem.Constants constants(ParamVector x, ParamVector lambda) {
        double[] th = ArraySecondOrderView.flat(lambda.get(THETA));
        double weight = Math.exp(th[0]);
        double gamma = Math.exp(th[1]);
        Smoothed s = new Smoothed(ArraySecondOrderView.flat(x.get(IMAGES)), gamma);
        double[] rowWeight = s.adjointOfScaled(-1, weight);
        double[] rowSmoothing = s.adjointOfScaled(-3, -weight * gamma * gamma);
        double a = dot(rowWeight, rowWeight);
        double b = dot(rowWeight, rowSmoothing);
        double c = dot(rowSmoothing, rowSmoothing);
        double mixedNorm = Math.sqrt(0.5 * (a + c) + Math.sqrt(0.25 * (a - c) * (a - c) + b * b));
        return new InexactProblem.Constants(1.0, 1 + 8 * weight / gamma, 1.0, mixedNorm,
                8 * Math.sqrt(2) * weight / gamma, 16 * weight / (gamma * gamma), Double.NaN);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * {@code F(θ) = f(x*(θ))} at the current θ: solves the lower level by L-BFGS (memory 10) from the current images
     * until {@code ‖∇_x g‖ ≤ gradientTolerance}, reads {@code f}, and puts the images back. Not part of any cost.
     */
    public double upperValueAtSolution(double gradientTolerance) {
        INDArray saved = images.dup();
        try {
            solveLowerLevel(gradientTolerance);
            return problem.upper().loss(Map.of());
        } finally {
            images.assign(saved);
        }
    }

    /** Moves the images to the lower-level solution for the current θ, to {@code ‖∇_x g‖ ≤ gradientTolerance}. */
    public void solveLowerLevel(double gradientTolerance) {
        new LbfgsSolver(10).solve(problem.lower(), Map.of(), gradientTolerance, 20_000);
        double reached = problem.lower().lossAndGradient(Map.of()).weightGradient().norm2();
        if (!(reached <= gradientTolerance)) {
            throw new IllegalStateException("L-BFGS stopped at ‖∇_x g‖ = " + reached + " above the tolerance "
                    + gradientTolerance + " after 20,000 evaluations.");
        }
    }

    /**
     * Denoises {@code crops.noisy()} with the hyperparameters {@code theta} (L-BFGS to
     * {@code ‖∇_x g‖ ≤ gradientTolerance}) and returns the mean over images of
     * {@code PSNR = 10 log₁₀(1 / mean squared error)} against {@code crops.clean()} (peak value 1).
     */
    public static double denoisedPsnr(Crops crops, double[] theta, double gradientTolerance) {
        TotalVariationDenoisingBilevel held = new TotalVariationDenoisingBilevel(crops, theta);
        held.solveLowerLevel(gradientTolerance);
        return meanPsnr(held.images, crops.clean());
    }

    /** The mean over images of {@code 10 log₁₀(1/MSE_k)} of {@code images} against {@code clean} (both {@code K × m × m}). */
    public static double meanPsnr(INDArray images, INDArray clean) {
        if (!Arrays.equals(images.shape(), clean.shape()) || images.rank() != 3) {
            throw new IllegalArgumentException("PSNR needs two K × m × m stacks of one shape, got "
                    + Arrays.toString(images.shape()) + " and " + Arrays.toString(clean.shape()) + ".");
        }
        INDArray squared = Transforms.pow(images.sub(clean), 2, false);
        INDArray mse = squared.mean(1, 2);
        double sum = 0;
        for (int k = 0; k < mse.length(); k++) {
            sum += 10 * Math.log10(1.0 / mse.getDouble(k));
        }
        return sum / mse.length();
    }

    /**
     * Forward differences with Neumann boundary of a stack of {@code m × m} images (row-major {@code K·m·m}):
     * the horizontal component into {@code h}, the vertical into {@code v} (0 in the last column, row).
     */
    private void differences(double[] x, double[] h, double[] v) {
        int m = side;
        for (int base = 0; base < x.length; base += m * m) {
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < m; c++) {
                    int i = base + r * m + c;
                    h[i] = c + 1 < m ? x[i + 1] - x[i] : 0;
                    v[i] = r + 1 < m ? x[i + m] - x[i] : 0;
                }
            }
        }
    }

    /** {@code Dᵀ(ph, pv)}, the adjoint of {@link #differences} (entries of the last column of ph, last row of pv are ignored). */
    private double[] adjoint(double[] ph, double[] pv) {
        int m = side;
        double[] out = new double[ph.length];
        for (int base = 0; base < ph.length; base += m * m) {
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < m; c++) {
                    int i = base + r * m + c;
                    if (c + 1 < m) {
                        out[i] -= ph[i];
                        out[i + 1] += ph[i];
                    }
                    if (r + 1 < m) {
                        out[i] -= pv[i];
                        out[i + m] += pv[i];
                    }
                }
            }
        }
        return out;
    }

    /** {@code t = Dx} and {@code r = sqrt(|t|² + γ²)} per pixel. */
    private final class Smoothed {
        final double[] th;
        final double[] tv;
        final double[] r;

        Smoothed(double[] x, double gamma) {
            th = new double[x.length];
            tv = new double[x.length];
            r = new double[x.length];
            differences(x, th, tv);
            for (int i = 0; i < x.length; i++) {
                r[i] = Math.sqrt(th[i] * th[i] + tv[i] * tv[i] + gamma * gamma);
            }
        }

        /** {@code scale · Dᵀ(t r^power)} for {@code power} −1 or −3. */
        double[] adjointOfScaled(int power, double scale) {
            if (power != -1 && power != -3) {
                throw new IllegalArgumentException("Only the powers −1 and −3 of r occur in the derivatives, got " + power + ".");
            }
            double[] ph = new double[r.length];
            double[] pv = new double[r.length];
            for (int i = 0; i < r.length; i++) {
                double f = power == -3 ? scale / (r[i] * r[i] * r[i]) : scale / r[i];
                ph[i] = th[i] * f;
                pv[i] = tv[i] * f;
            }
            return adjoint(ph, pv);
        }
    }

    /** The lower level {@code g}. */
    private final class Lower extends ArraySecondOrderView {
        Lower(INDArray sharedImages, INDArray sharedTheta) {
            super("lower", IMAGES, sharedImages, THETA, sharedTheta);
        }

        @Override
        public LossAndGradient lossAndGradient(Map<String, INDArray> feed) {
            double[] x = flat(images);
            double[] th = flat(theta);
            double weight = Math.exp(th[0]);
            double gamma = Math.exp(th[1]);
            Smoothed s = new Smoothed(x, gamma);
            double[] grad = s.adjointOfScaled(-1, weight);
            double data = 0;
            double sumR = 0;
            double sumInverseR = 0;
            for (int i = 0; i < x.length; i++) {
                double residual = x[i] - noisy[i];
                data += residual * residual;
                grad[i] += residual;
                sumR += s.r[i];
                sumInverseR += 1 / s.r[i];
            }
            double loss = 0.5 * data + weight * sumR;
            double[] gradTheta = {weight * sumR, weight * gamma * gamma * sumInverseR};
            return new LossAndGradient(loss, weightVector(grad), hyperparameterVector(gradTheta));
        }

        @Override
        public CurvatureProducts hessianAndMixed(ParamVector v, Map<String, INDArray> feed) {
            double[] dir = flat(weightDirection(v));
            double[] th = flat(theta);
            double weight = Math.exp(th[0]);
            double gamma = Math.exp(th[1]);
            Smoothed s = new Smoothed(flat(images), gamma);
            double[] uh = new double[dir.length];
            double[] uv = new double[dir.length];
            differences(dir, uh, uv);
            double mixedWeight = 0;
            double mixedSmoothing = 0;
            for (int i = 0; i < dir.length; i++) {
                double tDotU = s.th[i] * uh[i] + s.tv[i] * uv[i];
                double r = s.r[i];
                double scale = tDotU / (r * r * r);
                mixedWeight += tDotU / r;
                mixedSmoothing += scale;
                uh[i] = uh[i] / r - s.th[i] * scale;
                uv[i] = uv[i] / r - s.tv[i] * scale;
            }
            double[] hv = adjoint(uh, uv);
            for (int i = 0; i < dir.length; i++) {
                hv[i] = dir[i] + weight * hv[i];
            }
            double[] mixed = {weight * mixedWeight, -weight * gamma * gamma * mixedSmoothing};
            return new CurvatureProducts(weightVector(hv), hyperparameterVector(mixed));
        }

        @Override
        public ParamVector mixedTransposeProduct(ParamVector u, Map<String, INDArray> feed) {
            double[] dir = flat(hyperparameterDirection(u));
            double[] th = flat(theta);
            double weight = Math.exp(th[0]);
            double gamma = Math.exp(th[1]);
            Smoothed s = new Smoothed(flat(images), gamma);
            double[] first = s.adjointOfScaled(-1, weight * dir[0]);
            double[] second = s.adjointOfScaled(-3, -weight * gamma * gamma * dir[1]);
            for (int i = 0; i < first.length; i++) {
                first[i] += second[i];
            }
            return weightVector(first);
        }
    }

    /** The upper level {@code f = ½‖x − x̄‖²}. */
    private final class Upper extends ArraySecondOrderView {
        Upper(INDArray sharedImages, INDArray sharedTheta) {
            super("upper", IMAGES, sharedImages, THETA, sharedTheta);
        }

        @Override
        public LossAndGradient lossAndGradient(Map<String, INDArray> feed) {
            double[] residual = flat(images);
            double loss = 0;
            for (int i = 0; i < residual.length; i++) {
                residual[i] -= clean[i];
                loss += 0.5 * residual[i] * residual[i];
            }
            return new LossAndGradient(loss, weightVector(residual), hyperparameterVector(new double[2]));
        }

        @Override
        public CurvatureProducts hessianAndMixed(ParamVector v, Map<String, INDArray> feed) {
            double[] dir = flat(weightDirection(v));
            return new CurvatureProducts(weightVector(dir.clone()), hyperparameterVector(new double[2]));
        }

        @Override
        public ParamVector mixedTransposeProduct(ParamVector u, Map<String, INDArray> feed) {
            hyperparameterDirection(u);
            return weightVector(new double[(int) images.length()]);
        }
    }
}
