package org.hypergrad4j.sweeps;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs a {@link SweepSpec} on Apache Spark: every (setting, seed) is one Spark task ({@link TaskExecution}) that writes
 * its own run folder under {@code <out>/tasks/} and returns its summary; the driver collects the results into
 * {@link SweepTable} ({@code table.csv}, {@code table.md}, {@code tasks.csv}, a figure) in {@code <out>}.
 *
 * <p>Local mode ({@code local[N]}) is the embedded default; any other master ({@code spark://…}, {@code yarn}, …) runs
 * the same tasks on a cluster, where {@code out} must be a path every executor and the driver see (a shared mount).
 * Tasks whose folder already holds a finished run are not submitted again, so a sweep restarted after a crash runs
 * only what is missing. Attempts per task: local masters are given Spark's {@code local[N,F]} form, others
 * {@code spark.task.maxFailures = F}.
 */
public final class Sweep {
    /** The default master: all local cores. */
    public static final String DEFAULT_MASTER = "local[*]";
    /** The default number of attempts per task (one retry). */
    public static final int DEFAULT_ATTEMPTS = 2;
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\d+|\\*)])?");
    private static final Pattern LOCAL_WITH_FAILURES = Pattern.compile("local\\[(\\d+|\\*),\\s*(\\d+)]");

    /**
     * How to run a sweep.
     *
     * @param master      the Spark master
     * @param out         the output folder (run folders under {@code tasks/}, the table beside them): a local path, or a
     *                    Hadoop file system URL ({@code hdfs://…}, {@code file://…}) that every executor reaches
     * @param maxAttempts attempts per task, {@code ≥ 1}
     * @param runner      what a task runs (the command line, or a test's wrapper of it)
     * @param console     where progress and the table go
     */
    public record Options(String master, String out, int maxAttempts, TaskRunner runner, PrintStream console) {
        /** With a local output folder. */
        public Options(String master, Path out, int maxAttempts, TaskRunner runner, PrintStream console) {
            this(master, out.toString(), maxAttempts, runner, console);
        }

        public Options {
            if (out == null || out.isBlank()) {
                throw new IllegalArgumentException("--out must name a folder, got an empty string.");
            }
            if (maxAttempts < 1 || maxAttempts > 100) {
                throw new IllegalArgumentException("--max-attempts must lie in [1, 100], got " + maxAttempts + ".");
            }
            if (master == null || master.isBlank()) {
                throw new IllegalArgumentException("--master must name a Spark master such as local[2], got nothing.");
            }
        }
    }

    /**
     * The outcome of a sweep.
     *
     * @param results     one per task, in the spec's order (setting-major, then seed)
     * @param table       the table
     * @param wallSeconds from the start of {@link #run} to the table written
     * @param firstTaskSeconds seconds from the JVM's start to the first task's start (NaN when nothing ran)
     */
    public record Outcome(List<TaskResult> results, SweepTable table, double wallSeconds, double firstTaskSeconds) {
        /** The tasks that failed. */
        public List<TaskResult> failures() {
            return results.stream().filter(r -> r.status() == TaskResult.Status.FAILED).toList();
        }
    }

    private Sweep() {
    }

    /** The tasks of {@code spec} with their folders under {@code out}. */
    public static List<SweepTask> tasks(SweepSpec spec, String out) {
        List<SweepTask> tasks = new ArrayList<>();
        for (SweepSpec.Setting s : spec.settings()) {
            for (long seed : spec.seeds()) {
                tasks.add(new SweepTask(tasks.size(), s, seed, resolve(out, SweepTask.relativeFolder(s, seed))));
            }
        }
        return tasks;
    }

    /** {@code relative} under the output folder {@code out} (a local path made absolute, or a URL). */
    static String resolve(String out, String relative) {
        return HadoopFolders.isUrl(out) ? out.replaceAll("/+$", "") + "/" + relative
                : Path.of(out).toAbsolutePath().normalize().resolve(relative).toString();
    }

    /** Refuses an output folder that cannot be created or written, in one line. */
    public static void checkWritable(String out) {
        if (HadoopFolders.isUrl(out)) {
            HadoopFolders.checkWritable(out);
            return;
        }
        try {
            Files.createDirectories(Path.of(out));
            Path probe = Files.createTempFile(Path.of(out), ".write-check", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("--out " + out + ": cannot write there (" + org.hypergrad4j.bilevel.io.DurableFiles.reason(e) + ").");
        }
    }

    /** The master with {@code attempts} attempts per task for local masters ({@code local[N,F]}); others unchanged. */
    static String masterWithAttempts(String master, int attempts) {
        Matcher m = LOCAL.matcher(master.strip());
        if (m.matches()) {
            return "local[" + (m.group(1) == null ? "1" : m.group(1)) + "," + attempts + "]";
        }
        return master.strip();
    }

    static boolean isLocal(String master) {
        return LOCAL.matcher(master.strip()).matches() || LOCAL_WITH_FAILURES.matcher(master.strip()).matches();
    }

    /** Runs the sweep: the finished tasks' results are read back, the others run on Spark; the table is written to {@code out}. */
    public static Outcome run(SweepSpec spec, Options options) {
        long start = System.nanoTime();
        checkWritable(options.out());
        if (HadoopFolders.isUrl(options.out())) {
            return runUnlocked(spec, options, start);
        }
        // One sweep per local output folder at a time: a second one would take the first's running tasks for
        // interrupted ones and delete them. (The lock is the run folders' own, released when the process ends.)
        try (org.hypergrad4j.experiments.results.RunLock lock = org.hypergrad4j.experiments.results.RunLock.acquire(Path.of(options.out()))) {
            return runUnlocked(spec, options, start);
        }
    }

    private static Outcome runUnlocked(SweepSpec spec, Options options, long start) {
        List<SweepTask> tasks = tasks(spec, options.out());
        List<TaskResult> results = new ArrayList<>();
        List<SweepTask> pending = new ArrayList<>();
        for (SweepTask t : tasks) {
            Optional<TaskResult> done = TaskExecution.finished(t);
            if (done.isPresent()) {
                results.add(done.get());
            } else {
                pending.add(t);
            }
        }
        PrintStream console = options.console();
        String master = masterWithAttempts(options.master(), options.maxAttempts());
        long baselines = spec.settings().stream().filter(SweepSpec.Setting::baseline).count();
        console.printf(Locale.ROOT, "sweep %s: (%d setting%s + %d baseline%s) × %d seed%s = %d tasks (%d finished before), master %s, output %s%n",
                spec.name(), spec.settings().size() - baselines, spec.settings().size() - baselines == 1 ? "" : "s", baselines, baselines == 1 ? "" : "s",
                spec.seeds().size(), spec.seeds().size() == 1 ? "" : "s", tasks.size(), results.size(), master, options.out());
        double firstTask = Double.NaN;
        if (!pending.isEmpty()) {
            SweepProgress progress = new SweepProgress(console, tasks.size(), results.size());
            results.addAll(runOnSpark(pending, master, options, progress, spec.name()));
            firstTask = progress.firstTaskSeconds();
        }
        results.sort(Comparator.comparingInt(r -> r.task().index()));
        SweepTable table = SweepTable.of(spec, results);
        writeTable(table, options.out(), spec.name());
        double wall = (System.nanoTime() - start) / 1e9;
        console.println();
        console.print(table.markdown());
        for (TaskResult r : results) {
            if (r.status() == TaskResult.Status.FAILED) {
                console.printf(Locale.ROOT, "FAILED %s after %d attempt%s: %s%n", r.task(), r.attempts(), r.attempts() == 1 ? "" : "s", r.message());
            }
        }
        double taskSeconds = results.stream().mapToDouble(TaskResult::seconds).sum();
        console.printf(Locale.ROOT, "%nsweep %s: %d of %d tasks with results, %d failed; wall time %s (the tasks' own times add up to %s); table in %s%n",
                spec.name(), results.size() - (int) results.stream().filter(r -> r.status() == TaskResult.Status.FAILED).count(), results.size(),
                results.stream().filter(r -> r.status() == TaskResult.Status.FAILED).count(), SweepProgress.duration(wall),
                SweepProgress.duration(taskSeconds), resolve(options.out(), "table.md"));
        if (!Double.isNaN(firstTask)) {
            console.printf(Locale.ROOT, "start-up: the first task started %.1f s after the JVM%n", firstTask);
        }
        return new Outcome(List.copyOf(results), table, wall, firstTask);
    }

    private static List<TaskResult> runOnSpark(List<SweepTask> pending, String master, Options options, SweepProgress progress, String name) {
        SparkConf conf = new SparkConf().setAppName("hpo sweep " + name).setMaster(master)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                // Each task is a whole training run: a speculative copy would only write the same folder twice.
                .set("spark.speculation", "false")
                .set("spark.task.maxFailures", Integer.toString(options.maxAttempts()))
                // One core per task: ND4J's OpenMP pool would otherwise take every core in each concurrent task.
                .set("spark.task.cpus", "1")
                .set("spark.executorEnv.OMP_NUM_THREADS", "1");
        if (isLocal(master)) {
            // Local mode talks to itself only: no dependence on the machine's host name resolving.
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        ThreadOutput.install();
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            spark.sc().addSparkListener(progress);
            TaskRunner runner = options.runner();
            int attempts = options.maxAttempts();
            return new ArrayList<>(spark.parallelize(pending, pending.size()).map(t -> TaskExecution.execute(t, runner, attempts)).collect());
        }
    }

    /** Writes the table into {@code out}: directly into a local folder, through a local copy to a URL. */
    private static void writeTable(SweepTable table, String out, String name) {
        if (!HadoopFolders.isUrl(out)) {
            table.write(Path.of(out), name);
            return;
        }
        Path local;
        try {
            local = Files.createTempDirectory("hpo-sweep-table-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot make a local folder for the table: " + e.getMessage(), e);
        }
        try {
            table.write(local, name);
            HadoopFolders.copyFiles(local, out);
        } finally {
            TaskExecution.deleteRecursively(local);
        }
    }

    /** Seconds from the JVM's start to now. */
    static double sinceJvmStart() {
        return (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
    }
}
