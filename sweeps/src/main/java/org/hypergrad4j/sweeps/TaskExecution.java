package org.hypergrad4j.sweeps;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.hypergrad4j.bilevel.io.DurableFiles;
import org.hypergrad4j.experiments.results.RunDirectory;

/**
 * What an executor does with one {@link SweepTask}.
 *
 * <ol>
 *   <li>A task folder that holds a run folder with {@code summary.json} is finished: its summary is returned and
 *       nothing runs (a summary is the last file a runner writes, so it marks a complete record).</li>
 *   <li>Any other existing task folder is the remains of an interrupted attempt (a crash, a killed executor): it is
 *       deleted and the task runs from the start, so its numbers depend on the setting and seed alone.</li>
 *   <li>The runner's output goes to {@code task.log} in the task folder; ND4J runs on one thread per task so that
 *       {@code N} concurrent tasks use {@code N} cores.</li>
 *   <li>A failure (an exception, or exit status 1) is thrown to Spark, which retries the task, while attempts remain;
 *       on the last attempt, and at once for bad input (exit status 2, which no retry changes), it is returned as a
 *       {@link TaskResult.Status#FAILED} result, so one failing task never aborts the sweep's other tasks.</li>
 * </ol>
 */
final class TaskExecution {
    /** The runner's output in a task folder. */
    static final String LOG = "task.log";

    private TaskExecution() {
    }

    /**
     * Runs {@code task} (or returns its earlier result) as attempt {@code TaskContext.attemptNumber()} of {@code maxAttempts}.
     * A task folder on a Hadoop file system ({@link HadoopFolders}) is run in a local scratch folder and then published.
     */
    static TaskResult execute(SweepTask task, TaskRunner runner, int maxAttempts) {
        if (!HadoopFolders.isUrl(task.folder())) {
            return executeLocal(task, runner, maxAttempts);
        }
        Optional<TaskResult> done = finished(task);
        if (done.isPresent()) {
            return done.get();
        }
        HadoopFolders.clear(task.folder());
        Path scratch;
        try {
            scratch = Files.createTempDirectory("hpo-sweep-task-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make a local scratch folder for " + task + ": " + e.getMessage(), e);
        }
        try {
            Path local = scratch.resolve("seed-" + task.seed());
            TaskResult r = executeLocal(new SweepTask(task.index(), task.setting(), task.seed(), local.toString()), runner, maxAttempts);
            HadoopFolders.publish(local, task.folder(), r.attempts());
            String run = r.runFolder() == null ? null : task.folder() + "/" + Path.of(r.runFolder()).getFileName();
            return new TaskResult(task, r.status(), r.metrics(), run, r.attempts(), r.seconds(), r.message());
        } finally {
            deleteRecursively(scratch);
        }
    }

    private static TaskResult executeLocal(SweepTask task, TaskRunner runner, int maxAttempts) {
        TaskContext context = TaskContext.get();
        int attempt = context == null ? 0 : context.attemptNumber();
        Path folder = Path.of(task.folder());
        Optional<TaskResult> done = finished(task);
        if (done.isPresent()) {
            return done.get();
        }
        deleteRecursively(folder);
        long start = System.nanoTime();
        String failure;
        boolean retryable = true;
        try {
            Files.createDirectories(folder);
            StringWriter errors = new StringWriter();
            int status;
            try (OutputStream log = Files.newOutputStream(folder.resolve(LOG), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                 PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(log, StandardCharsets.UTF_8), true);
                 PrintWriter err = new PrintWriter(new TeeWriter(errors, out), true)) {
                out.println("hpo " + String.join(" ", task.setting().arguments(task.seed(), folder.toString())) + "   (attempt " + (attempt + 1) + ")");
                out.flush();
                ThreadOutput.to(log);
                try {
                    org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(1);
                    org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(1);
                    status = runner.run(task.setting().arguments(task.seed(), folder.toString()), out, err);
                } finally {
                    System.out.flush();
                    ThreadOutput.reset();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (status == 0 || status == 3) {
                Optional<Path> run = runFolder(folder);
                if (run.isPresent()) {
                    Map<String, Object> summary = RunDirectory.open(run.get()).summary().orElseThrow();
                    return new TaskResult(task, status == 3 ? TaskResult.Status.DIVERGED : TaskResult.Status.FINISHED, numbers(summary),
                            run.get().toString(), attempt + 1, seconds, String.valueOf(summary.getOrDefault("message", "")));
                }
                failure = "the run ended without a summary.json in " + folder;
            } else {
                String last = errors.toString().strip();
                last = last.isEmpty() ? "exit status " + status : last.lines().reduce((a, b) -> b).orElse(last);
                failure = (status == 2 ? "bad input: " : "") + last.replaceFirst("^hpo: ", "");
                retryable = status != 2;
            }
        } catch (IOException e) {
            failure = "cannot write the task folder " + folder + ": " + e.getMessage();
        } catch (RuntimeException | Error e) {
            failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (retryable && attempt + 1 < maxAttempts) {
            throw new TaskFailedException(task + ", attempt " + (attempt + 1) + " of " + maxAttempts + ": " + failure);
        }
        return new TaskResult(task, TaskResult.Status.FAILED, Map.of(), null, attempt + 1, (System.nanoTime() - start) / 1e9, failure);
    }

    /** The result of a task whose folder already holds a finished run, if it does. */
    static Optional<TaskResult> finished(SweepTask task) {
        Optional<Map.Entry<String, Map<String, Object>>> run = HadoopFolders.isUrl(task.folder()) ? HadoopFolders.finishedRun(task.folder())
                : runFolder(Path.of(task.folder())).map(p -> Map.entry(p.toString(), RunDirectory.open(p).summary().orElseThrow()));
        return run.map(e -> {
            Map<String, Object> summary = e.getValue();
            TaskResult.Status status = "DIVERGED".equals(summary.get("status")) ? TaskResult.Status.DIVERGED : TaskResult.Status.REUSED;
            return new TaskResult(task, status, numbers(summary), e.getKey(), 0, 0, String.valueOf(summary.getOrDefault("message", "")));
        });
    }

    /** The run folder inside a task folder that holds a summary, if any. */
    static Optional<Path> runFolder(Path taskFolder) {
        if (!Files.isDirectory(taskFolder)) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(taskFolder)) {
            return children.filter(p -> Files.isRegularFile(p.resolve(RunDirectory.SUMMARY))).sorted().findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the task folder " + taskFolder + ": " + e.getMessage(), e);
        }
    }

    /** The numeric entries of a summary (nested maps and strings left out). */
    static Map<String, Double> numbers(Map<String, Object> summary) {
        Map<String, Double> out = new LinkedHashMap<>();
        summary.forEach((k, v) -> {
            if (v instanceof Number n) {
                out.put(k, n.doubleValue());
            }
        });
        return out;
    }

    static void deleteRecursively(Path folder) {
        try {
            DurableFiles.deleteTree(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear the unfinished task folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** A task attempt that failed and that Spark should retry. */
    static final class TaskFailedException extends RuntimeException {
        TaskFailedException(String message) {
            super(message);
        }
    }

    /** Writes to two writers (the error lines go to the task's log and are kept for the failure message). */
    private static final class TeeWriter extends java.io.Writer {
        private final java.io.Writer a;
        private final java.io.Writer b;

        TeeWriter(java.io.Writer a, java.io.Writer b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            a.write(cbuf, off, len);
            b.write(cbuf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
