package org.hypergrad4j.repro.lorraine2020;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.DistilledData;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.optim.Adam;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.bilevel.io.DurableFiles;
import org.hypergrad4j.bilevel.train.TrainingSummary;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.data.Splits;
import org.hypergrad4j.experiments.data.BundledDatasets;
import org.hypergrad4j.experiments.results.MetricsWriter;
import org.hypergrad4j.repro.Check;
import org.hypergrad4j.repro.Report;
import org.hypergrad4j.repro.Reproduction;
import org.hypergrad4j.repro.Scale;
import org.hypergrad4j.repro.Table;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Lorraine, Vicol, Duvenaud (AISTATS 2020), experiment (b): dataset distillation. Ten 64-pixel images (one per class,
 * from zero) are hyperparameters: the training loss is the classifier's cross-entropy on them alone, and they are
 * tuned jointly with the weights on a 100-image validation set. Compared with ten real images, one per class, trained
 * on with the same decay and the same number of updates.
 */
public final class Distillation implements Reproduction {
    private static final int INNER_STEPS = 40;

    @Override
    public String name() {
        return "ift-distillation";
    }

    @Override
    public String title() {
        return "Lorraine et al. (2020), experiment (b): ten distilled images against ten real ones";
    }

    private static int hyperSteps(Scale scale) {
        return scale == Scale.SMOKE ? 20 : 40;
    }

    @Override
    public Report run(Run run) {
        int hyperSteps = hyperSteps(run.scale());
        long[] seeds = run.seedList();
        int n = seeds.length;
        double[] distilled = new double[n];
        double[] real = new double[n];
        INDArray firstImages = null;
        try (MetricsWriter metrics = MetricsWriter.create(run.folder().resolve("metrics.csv"),
                List.of("seed", "test_accuracy_distilled", "test_accuracy_ten_real"))) {
            for (int k = 0; k < n; k++) {
                long seed = seeds[k];
                Split parts = Splits.standardised(BundledDatasets.digits(), 0.5, 100.0 / 1797, 0.4, seed + 12);
                Hpo.Result r = Hpo.on(parts.train(), parts.validation()).test(parts.test())
                        .tune(DistilledData.onePerClass()).tune(WeightDecay.global(-3))
                        .innerOptimizer(new Sgd(0.3, 0.9, false)).outerOptimizer(new Adam(0.1))
                        .hyperSteps(hyperSteps).innerSteps(INNER_STEPS).seed(seed).run();
                if (r.summary().status() != TrainingSummary.Status.COMPLETED) {
                    throw new IllegalStateException("seed " + seed + ": " + r.summary().message());
                }
                distilled[k] = r.test().accuracy();
                if (k == 0) {
                    // Back to pixel values (0–16) with the training part's standardiser, so that the images can be read.
                    org.hypergrad4j.data.Standardizer st = org.hypergrad4j.data.Standardizer.fit(
                            Splits.stratified(BundledDatasets.digits(), 0.5, 100.0 / 1797, 0.4, seed + 12).train());
                    firstImages = org.nd4j.linalg.factory.Nd4j.createFromArray(
                            st.invert(r.problem().hyperparameters().get("distilled_inputs").castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix()));
                }
                int[] labels = parts.train().labels();
                int[] firstOfEachClass = new int[10];
                Arrays.fill(firstOfEachClass, -1);
                for (int i = 0; i < labels.length; i++) {
                    if (firstOfEachClass[labels[i]] < 0) {
                        firstOfEachClass[labels[i]] = i;
                    }
                }
                Dataset tenReal = parts.train().subset(firstOfEachClass).withName("ten real images");
                BilevelProblem plain = Hpo.on(tenReal, parts.validation()).test(parts.test()).tune(WeightDecay.global(-3)).seed(seed).build();
                plain.trainWeights(new Sgd(0.3, 0.9, false), (long) hyperSteps * INNER_STEPS);
                real[k] = plain.evaluate(BilevelProblem.Part.TEST).accuracy();
                metrics.write(seed, distilled[k], real[k]);
                run.out().printf(Locale.ROOT, "seed %d: test accuracy from 10 distilled images %.2f%%, from 10 real images %.2f%%%n", seed,
                        100 * distilled[k], 100 * real[k]);
            }
        }
        String figure = "distilled-images.png";
        writeImages(firstImages, run.folder().resolve(figure));
        Table table = new Table("training set of 10 images (one per class)", "test accuracy");
        table.row("distilled: learned jointly with the weights", Table.overSeeds(distilled, 4));
        table.row("real: the first image of each class", Table.overSeeds(real, 4));
        boolean better = true;
        for (int k = 0; k < n; k++) {
            better &= distilled[k] > real[k] + 0.05;
        }
        List<Check> checks = List.of(new Check("Ten distilled images train a far better classifier than ten real ones",
                String.format(Locale.ROOT, "%.2f%% vs %.2f%% (means); more than 5 points ahead in %s seed", 100 * mean(distilled), 100 * mean(real),
                        better ? "every" : "not every"), better));
        String claim = """
                Treating a small synthetic training set as hyperparameters — one image per class, labels fixed — and tuning it
                with implicit hypergradients on validation data distils the data set: logistic regression trained on the ten
                learned images classifies far better than one trained on ten real ones (Lorraine et al. 2020, Figure "dataset
                distillation": MNIST, CIFAR-10, CIFAR-100).""";
        String setup = """
                Bundled digits: 50%% for training (only to draw the real images), 100 validation images, 40%% test, drawn by the
                seed and standardised; softmax regression 64 → 10 with a global decay `exp(−3)`. Distilled: 10 images of 64 pixels
                from zero, labels 0…9, %d hyper-steps of %d SGD steps (lr 0.3, momentum 0.9) on them, Adam 0.1 on the images.
                Real: the first training image of each class, %,d SGD steps with the same optimiser and decay.""".formatted(hyperSteps,
                INNER_STEPS, hyperSteps * INNER_STEPS);
        String differences = """
                The paper distils MNIST and CIFAR with logistic regression over many more steps; here the 8 × 8 digits. The
                figure shows seed 1's distilled images for the classes 0 to 9, mapped back to pixel values (0 white, 16 black).""";
        return new Report(name(), title(), claim, setup, differences, table, checks, "", List.of(figure), run.scale(), run.seed(), run.seeds(),
                run.command());
    }

    /** The images side by side, 8 × 8 pixels each shown at 24 × 24, dark = ink: pixel values 0 (white) to 16 (black), clipped. */
    private static void writeImages(INDArray images, java.nio.file.Path png) {
        int count = (int) images.size(0);
        int scale = 24;
        BufferedImage out = new BufferedImage(count * (8 * scale + 8), 8 * scale, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < count; i++) {
            double[] v = images.getRow(i).toDoubleVector();
            for (int p = 0; p < 64; p++) {
                int grey = 255 - (int) Math.round(255 * Math.min(1, Math.max(0, v[p] / 16)));
                int rgb = (grey << 16) | (grey << 8) | grey;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        out.setRGB(i * (8 * scale + 8) + (p % 8) * scale + dx, (p / 8) * scale + dy, rgb);
                    }
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DurableFiles.replace(png, bytes.toByteArray());
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
