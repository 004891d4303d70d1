package org.hypergrad4j.experiments.internal;

import java.io.PrintStream;

/**
 * One progress line per update, e.g. {@code [ 12/40] ███████░░░░░░░░  30% 0:07 elapsed, ETA 0:16 | …}:
 * readable in a terminal and in a CI log alike (no cursor control).
 */
public final class ProgressLine {
    private static final int WIDTH = 20;
    private final PrintStream out;
    private final int total;
    private final long start = System.nanoTime();

    public ProgressLine(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    public void update(int done, String status) {
        double fraction = done / (double) total;
        int filled = (int) Math.round(fraction * WIDTH);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double eta = done == 0 ? Double.NaN : elapsed * (total - done) / done;
        String digits = String.valueOf(total);
        out.printf("[%" + digits.length() + "d/%d] %s%s %3.0f%% %s elapsed, ETA %s | %s%n", done, total, "█".repeat(filled),
                "░".repeat(WIDTH - filled), 100 * fraction, clock(elapsed), clock(eta), status);
        out.flush();
    }

    private static String clock(double seconds) {
        if (Double.isNaN(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
