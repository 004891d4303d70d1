package org.hypergrad4j.experiments.internal;

import java.nio.file.Path;
import java.util.Map;
import org.hypergrad4j.experiments.results.RunDirectory;
import org.hypergrad4j.experiments.results.RunRecord;

/**
 * The readable summary of a finished run, rendered from its folder alone (config.json and summary.json),
 * so that {@code hpo summarise} prints exactly what the run printed when it ended.
 */
public final class SummaryText {
    private SummaryText() {
    }

    /**
     * @throws IllegalArgumentException if the run has no summary (it is unfinished)
     */
    public static String render(Path folder) {
        RunRecord r = RunDirectory.open(folder);
        Map<String, Object> s = r.summary().orElseThrow(() -> new IllegalArgumentException("The run in " + folder
                + " has no summary.json: it is unfinished (resume it with: hpo resume " + folder + ")."));
        Map<String, Object> c = r.config();
        StringBuilder sb = new StringBuilder();
        if ("stn-dropout".equals(s.get("experiment"))) {
            sb.append(String.format("%nRun %s: %s (%s)%n", folder.getFileName(), s.get("experiment"), s.get("message")));
            StringBuilder rates = new StringBuilder();
            if (s.get("final_rates") instanceof Map<?, ?> m) {
                m.forEach((site, rate) -> rates.append(rates.length() > 0 ? ", " : "").append(site).append(' ')
                        .append(String.format(java.util.Locale.ROOT, "%.3f", ((Number) rate).doubleValue())));
            }
            sb.append(String.format("Fashion-MNIST, seed %s, %s epochs; final dropout rates: %s%n", c.get("seed"), c.get("epochs"), rates));
            sb.append(String.format("STN:                      test loss %.4f, test accuracy %.2f%%, validation loss %.4f%n", num(s, "test_loss"),
                    100 * num(s, "test_accuracy"), num(s, "val_loss")));
            sb.append(String.format("best fixed dropout (%s): test loss %.4f, test accuracy %.2f%%%n", s.get("best_fixed"),
                    num(s, "best_fixed_test_loss"), 100 * num(s, "best_fixed_test_accuracy")));
            sb.append(String.format("STN schedule replayed from scratch: test loss %.4f; rates fixed at the STN's final values: test loss %.4f%n",
                    num(s, "replayed_schedule_test_loss"), num(s, "fixed_at_final_rates_test_loss")));
            sb.append(files(folder));
            return sb.toString();
        }
        if ("decay-search".equals(s.get("experiment"))) {
            sb.append(String.format("%nRun %s: %s (%s)%n", folder.getFileName(), s.get("experiment"), s.get("message")));
            sb.append(String.format("data set %s, seed %s, %s training steps in all%n", c.get("dataset"), c.get("seed"), s.get("total_steps")));
            sb.append(String.format("best log decay %.3f: validation loss %.4f, test loss %.4f, test accuracy %.2f%%%n",
                    num(s, "best_log_decay"), num(s, "best_val_loss"), num(s, "best_test_loss"), 100 * num(s, "best_test_accuracy")));
            sb.append(files(folder));
            return sb.toString();
        }
        sb.append(String.format("%nRun %s: %s (%s)%n", folder.getFileName(), s.get("experiment"), s.get("message")));
        sb.append(String.format("data set %s, %s decay, solver %s, seed %s, %s hyper-steps, %s weight updates%n",
                c.get("dataset"), c.get("scope"), c.get("solver"), c.get("seed"), s.get("hyper_steps"), s.get("inner_steps")));
        sb.append(String.format("|            | loss    | accuracy |%n|------------|---------|----------|%n"));
        for (String part : new String[] {"train", "val", "test"}) {
            sb.append(String.format("| %-10s | %7.4f | %7.2f%% |%n", part, num(s, part + "_loss"), 100 * num(s, part + "_accuracy")));
        }
        sb.append(String.format("log decay λ: mean %.3f, min %.3f, max %.3f%n", num(s, "lambda_mean"), num(s, "lambda_min"), num(s, "lambda_max")));
        sb.append(files(folder));
        return sb.toString();
    }

    /** The line naming the files the folder holds (as they are, so a run that wrote no plots lists none). */
    private static String files(Path folder) {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (var entries = java.nio.file.Files.list(folder)) {
            entries.map(p -> p.getFileName().toString() + (java.nio.file.Files.isDirectory(p) ? "/" : "")).filter(n -> !n.startsWith("."))
                    .sorted().forEach(names::add);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Could not list " + folder + ": " + e.getMessage(), e);
        }
        return String.format("Files: %s in %s%n", String.join(", ", names), folder);
    }

    private static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("summary.json lacks the number '" + key + "'.");
        }
        return n.doubleValue();
    }
}
