package org.hypergrad4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hypergrad4j.bilevel.train.Checkpoints;
import org.hypergrad4j.bilevel.train.JointTrainer;
import org.hypergrad4j.bilevel.train.TrainingState;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.hypernets.stn.StnTrainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Wall time of committing one crash-safe checkpoint ({@link Checkpoints#write}: one file with a length and CRC-32
 * trailer, written and synced beside its final name, an atomic rename and a folder sync) for states of {@code n} float32
 * parameters held six times over (weights, decays, SGD momentum, Adam's two moments, the CG warm start: the state
 * of a per-weight-decay run with {@code n} weights). Usage: {@code CheckpointBenchmark [n ...] } (default 10,000,
 * 100,000 and 1,032,200). Prints the median of 15 commits after 3 warm-up commits. Then, for 10,000 parameters, the
 * same with a history of 1,000, 10,000 and 100,000 unit events in the state (one value of JSON lines, as the training
 * loop writes them, of {@code JointTrainer.HyperStep}s), since every checkpoint carries the whole history; and the
 * time to encode one event as JSON, for a hyper-step and for an STN schedule entry of 10 hyperparameters.
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
        ObjectMapper json = new ObjectMapper();
        for (int events : new int[] {1_000, 10_000, 100_000}) {
            TrainingState state = new TrainingState();
            for (String group : new String[] {"weights", "hyperparameters", "inner.velocity", "outer.m", "outer.v", "method.solution"}) {
                state.put(group, ParamVector.of("w", Nd4j.rand(DataType.FLOAT, 10_000)));
            }
            StringBuilder history = new StringBuilder();
            for (int i = 0; i < events; i++) {
                history.append(i == 0 ? "" : "\n").append(json.writeValueAsString(hyperStep(i + 1, random)));
            }
            state.put("history", history.toString());
            double[] timed = commitTimes(root.resolve("h" + events), state);
            System.out.printf("n = 10,000 parameters and a history of %,d events (%,d bytes): median %.1f ms per committed checkpoint (min %.1f, max %.1f)%n",
                    events, history.length(), timed[timed.length / 2], timed[0], timed[timed.length - 1]);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, Double> scales = new LinkedHashMap<>();
        for (int h = 0; h < 10; h++) {
            values.put("dropout.layer" + h, random.nextDouble());
            scales.put("dropout.layer" + h, random.nextDouble() * 0.5);
        }
        StnTrainer.ScheduleEntry entry = new StnTrainer.ScheduleEntry(17, 340, 2.5, values, scales, random.nextDouble(), random.nextDouble());
        JointTrainer.HyperStep step = hyperStep(17, random);
        for (int round = 0; round < 3; round++) {
            System.out.printf("one event as a line of JSON: %.2f µs for a JointTrainer.HyperStep, %.2f µs for an STN schedule entry of 10 hyperparameters%n",
                    microsPerEncoding(json, step), microsPerEncoding(json, entry));
        }
    }

    private static JointTrainer.HyperStep hyperStep(long k, java.util.Random random) {
        return new JointTrainer.HyperStep(k, 20 * k, random.nextDouble(), random.nextDouble(), random.nextDouble() * 1e-3, 2100 * k, random.nextDouble() * 1e3);
    }

    /** Mean wall time of encoding {@code event} 200,000 times, in µs. */
    private static double microsPerEncoding(ObjectMapper json, Record event) throws Exception {
        int n = 200_000;
        long bytes = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            bytes += json.writeValueAsString(event).length();
        }
        double micros = (System.nanoTime() - start) / 1e3 / n;
        if (bytes == 0) {
            throw new IllegalStateException("nothing encoded");
        }
        return micros;
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
