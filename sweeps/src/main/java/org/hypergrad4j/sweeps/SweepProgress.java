package org.hypergrad4j.sweeps;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * The whole sweep's progress on the console, from Spark's scheduler events: tasks done (of all, counting the ones an
 * earlier sweep finished), running, failed attempts, and an estimate of the time left,
 * {@code ETA = elapsed · (pending − done) / done} over the tasks this sweep runs (each task costs about the same).
 * One line when the first task starts and one per task end (Spark may announce a task's successor before its end, so the
 * running count can briefly exceed the cores).
 */
final class SweepProgress extends SparkListener {
    private final PrintStream out;
    private final int total;
    private final int reused;
    private final int pending;
    private final long start = System.nanoTime();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failedAttempts = new AtomicInteger();

    SweepProgress(PrintStream out, int total, int reused) {
        this.out = out;
        this.total = total;
        this.reused = reused;
        this.pending = total - reused;
    }

    private volatile double firstTaskSeconds = Double.NaN;

    @Override
    public void onTaskStart(SparkListenerTaskStart event) {
        if (Double.isNaN(firstTaskSeconds)) {
            firstTaskSeconds = Sweep.sinceJvmStart();
        }
        if (running.incrementAndGet() == 1 && done.get() + failedAttempts.get() == 0) {
            print();
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
        running.decrementAndGet();
        if (event.taskInfo().successful()) {
            done.incrementAndGet();
        } else {
            failedAttempts.incrementAndGet();
            // Spark's own report of it (a stack trace from the executor) is switched off: one line instead.
            if (event.reason() instanceof org.apache.spark.ExceptionFailure failure) {
                out.println("sweep: attempt failed, will retry: " + failure.description());
            } else {
                out.println("sweep: attempt failed, will retry: " + event.reason().getClass().getSimpleName());
            }
        }
        print();
    }

    /** Seconds from the JVM's start to the first task's start (the start-up cost of the command and of Spark). */
    double firstTaskSeconds() {
        return firstTaskSeconds;
    }

    /** Counts of this sweep's successful task ends and failed attempts (for tests and the final line). */
    int done() {
        return done.get();
    }

    int failedAttempts() {
        return failedAttempts.get();
    }

    synchronized void print() {
        double elapsed = (System.nanoTime() - start) / 1e9;
        int d = done.get();
        String eta = d == 0 ? "?" : duration(elapsed * (pending - d) / d);
        out.printf(Locale.ROOT, "sweep: %d/%d done%s, %d running, %d failed attempt%s | %s elapsed, ETA %s%n", reused + d, total,
                reused > 0 ? " (" + reused + " from before)" : "", running.get(), failedAttempts.get(), failedAttempts.get() == 1 ? "" : "s",
                duration(elapsed), eta);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
