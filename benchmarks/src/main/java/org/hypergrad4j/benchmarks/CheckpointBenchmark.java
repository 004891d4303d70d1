package org.hypergrad4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.hypergrad4j.bilevel.train.Checkpoints;
import org.hypergrad4j.bilevel.train.TrainingState;
import org.hypergrad4j.core.ParamVector;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Wall time of committing one crash-safe checkpoint ({@link Checkpoints#write}: one file with a length and CRC-32
 * trailer, written and synced beside its final name, an atomic rename and a folder sync) for states of {@code n} float32
 * parameters held six times over (weights, decays, SGD momentum, Adam's two moments, the CG warm start: the state
 * of a per-weight-decay run with {@code n} weights). Usage: {@code CheckpointBenchmark [n ...] } (default 10,000,
 * 100,000 and 1,032,200). Prints the median of 15 commits after 3 warm-up commits. Then, for 10,000 parameters, the
 * same with a history of 1,000, 10,000 and 100,000 unit events in the state (one value of lines like a
 * {@code JointTrainer.HyperStep}'s: seven numbers each), since every checkpoint carries the whole history.
 */
public final class CheckpointBenchmark {
    private CheckpointBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long[] sizes = args.length == 0 ? new long[] {10_000, 100_000, 1_032_200} : Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        Path root = Files.createTempDirectory("checkpoint-benchmark");
        for (long n : sizes) {
            TrainingState state = new TrainingState();
            for (String group : new String[] {"weights", "hyperparameters", "inner.velocity", "outer.m", "outer.v", "method.solution"}) {
                state.put(group, ParamVector.of("w", Nd4j.rand(DataType.FLOAT, n)));
            }
            double[] timed = commitTimes(root.resolve("n" + n), state);
            System.out.printf("n = %,d parameters (%,d bytes of tensors): median %.1f ms per committed checkpoint (min %.1f, max %.1f)%n", n,
                    6 * 4 * n, timed[timed.length / 2], timed[0], timed[timed.length - 1]);
        }
        java.util.Random random = new java.util.Random(1);
        for (int events : new int[] {1_000, 10_000, 100_000}) {
            TrainingState state = new TrainingState();
            for (String group : new String[] {"weights", "hyperparameters", "inner.velocity", "outer.m", "outer.v", "method.solution"}) {
                state.put(group, ParamVector.of("w", Nd4j.rand(DataType.FLOAT, 10_000)));
            }
            StringBuilder history = new StringBuilder();
            for (int i = 0; i < events; i++) {
                history.append(i == 0 ? "" : "\u001c").append(i + 1).append('\u001f').append(20L * (i + 1)).append('\u001f').append(random.nextDouble())
                        .append('\u001f').append(random.nextDouble()).append('\u001f').append(random.nextDouble() * 1e-3).append('\u001f')
                        .append(2100L * (i + 1)).append('\u001f').append(random.nextDouble() * 1e3);
            }
            state.put("history", history.toString());
            double[] timed = commitTimes(root.resolve("h" + events), state);
            System.out.printf("n = 10,000 parameters and a history of %,d events: median %.1f ms per committed checkpoint (min %.1f, max %.1f)%n",
                    events, timed[timed.length / 2], timed[0], timed[timed.length - 1]);
        }
    }

    /** The sorted wall times in ms of 15 commits of {@code state} after 3 warm-up commits. */
    private static double[] commitTimes(Path folder, TrainingState state) {
        double[] ms = new double[18];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            Checkpoints.write(folder, i + 1, state);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        double[] timed = Arrays.copyOfRange(ms, 3, ms.length);
        Arrays.sort(timed);
        return timed;
    }
}
