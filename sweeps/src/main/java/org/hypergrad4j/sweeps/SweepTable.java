package org.hypergrad4j.sweeps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hypergrad4j.experiments.results.Plots;
import org.hypergrad4j.experiments.stats.SeedSummary;

/**
 * The driver's table: one row per setting with the number of seeds that finished and failed, and for each metric the
 * mean over the finished seeds with its two-sided 95% Student-t interval {@code m ± t_{0.975, n−1} s/√n}
 * ({@link SeedSummary}). A search baseline reports its best trial's numbers ({@code best_val_loss} is its
 * {@code val_loss}), so experiments and baselines share columns. Written as {@code table.csv}, {@code table.md}, one row
 * per task in {@code tasks.csv}, and per metric a figure of each setting's value over the seeds (paired by seed).
 */
public final class SweepTable {
    /** The metrics of the table, by their key in a summary (a baseline's {@code best_} prefix dropped), and titles. */
    public static final Map<String, String> METRICS = metrics();

    private static Map<String, String> metrics() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("test_accuracy", "test accuracy");
        m.put("test_loss", "test loss");
        m.put("val_loss", "validation loss");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * One row.
     *
     * @param setting  the setting
     * @param finished seeds with numbers (finished, reused or diverged)
     * @param failed   seeds that failed
     * @param summaries metric key → its summary over the finished seeds (absent when no seed finished)
     */
    public record Row(SweepSpec.Setting setting, int finished, int failed, Map<String, SeedSummary> summaries) {
    }

    private final List<Row> rows;
    private final List<TaskResult> results;

    private SweepTable(List<Row> rows, List<TaskResult> results) {
        this.rows = List.copyOf(rows);
        this.results = List.copyOf(results);
    }

    /** The table of {@code results} for the settings of {@code spec}, in the spec's order. */
    public static SweepTable of(SweepSpec spec, List<TaskResult> results) {
        List<Row> rows = new ArrayList<>();
        for (SweepSpec.Setting s : spec.settings()) {
            List<TaskResult> mine = results.stream().filter(r -> r.task().setting().folderName().equals(s.folderName())).toList();
            int failed = (int) mine.stream().filter(r -> !r.status().hasNumbers()).count();
            List<TaskResult> ok = mine.stream().filter(r -> r.status().hasNumbers()).toList();
            Map<String, SeedSummary> summaries = new LinkedHashMap<>();
            for (String metric : METRICS.keySet()) {
                double[] values = ok.stream().map(r -> metric(r, metric)).filter(v -> v != null && Double.isFinite(v))
                        .mapToDouble(Double::doubleValue).toArray();
                if (values.length > 0) {
                    summaries.put(metric, SeedSummary.of(values));
                }
            }
            rows.add(new Row(s, ok.size(), failed, summaries));
        }
        return new SweepTable(rows, results);
    }

    /** A metric of a task's summary, under its own key or a search's {@code best_} key; null if absent. */
    static Double metric(TaskResult r, String metric) {
        Double v = r.metrics().get(metric);
        return v != null ? v : r.metrics().get("best_" + metric);
    }

    public List<Row> rows() {
        return rows;
    }

    /** The table as Markdown: mean ± half-width of the 95% interval (n seeds). */
    public String markdown() {
        StringBuilder b = new StringBuilder("| setting | experiment | seeds | failed |");
        METRICS.values().forEach(t -> b.append(' ').append(t).append(" |"));
        b.append("\n| --- | --- | --- | --- |");
        METRICS.values().forEach(t -> b.append(" --- |"));
        b.append('\n');
        for (Row r : rows) {
            b.append("| ").append(r.setting().label()).append(r.setting().baseline() ? " (baseline)" : "").append(" | ")
                    .append(r.setting().experiment()).append(" | ").append(r.finished()).append(" | ").append(r.failed()).append(" |");
            for (String metric : METRICS.keySet()) {
                SeedSummary s = r.summaries().get(metric);
                b.append(' ').append(s == null ? "–" : s.hasInterval()
                        ? String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), s.halfWidth()) : String.format(Locale.ROOT, "%.4f", s.mean())).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The table as CSV: per metric its mean and the 95% interval's ends (empty when undefined). */
    public String csv() {
        StringBuilder b = new StringBuilder("setting,experiment,baseline,seeds_finished,seeds_failed");
        METRICS.keySet().forEach(m -> b.append(',').append(m).append("_mean,").append(m).append("_ci95_low,").append(m).append("_ci95_high"));
        b.append('\n');
        for (Row r : rows) {
            b.append(csvField(r.setting().label())).append(',').append(r.setting().experiment()).append(',').append(r.setting().baseline())
                    .append(',').append(r.finished()).append(',').append(r.failed());
            for (String metric : METRICS.keySet()) {
                SeedSummary s = r.summaries().get(metric);
                b.append(',').append(s == null ? "" : number(s.mean())).append(',').append(s == null || !s.hasInterval() ? "" : number(s.lower()))
                        .append(',').append(s == null || !s.hasInterval() ? "" : number(s.upper()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** One row per task: setting, seed, status, attempts, seconds, the metrics, the run folder and the message. */
    public String tasksCsv() {
        StringBuilder b = new StringBuilder("setting,seed,status,attempts,seconds");
        METRICS.keySet().forEach(m -> b.append(',').append(m));
        b.append(",run_folder,message\n");
        for (TaskResult r : results) {
            b.append(csvField(r.task().setting().label())).append(',').append(r.task().seed()).append(',').append(r.status()).append(',')
                    .append(r.attempts()).append(',').append(String.format(Locale.ROOT, "%.2f", r.seconds()));
            for (String metric : METRICS.keySet()) {
                Double v = metric(r, metric);
                b.append(',').append(v == null ? "" : number(v));
            }
            b.append(',').append(csvField(r.runFolder() == null ? "" : r.runFolder())).append(',').append(csvField(r.message() == null ? "" : r.message()))
                    .append('\n');
        }
        return b.toString();
    }

    /**
     * Writes {@code table.csv}, {@code table.md}, {@code tasks.csv} and one figure per metric ({@code test-accuracy.png},
     * {@code test-loss.png}, {@code val-loss.png}: each setting's value over the seeds) into {@code folder}.
     */
    public void write(Path folder, String title) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("table.csv"), csv(), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("table.md"), markdown(), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("tasks.csv"), tasksCsv(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the sweep's table in " + folder + ": " + e.getMessage(), e);
        }
        for (Map.Entry<String, String> metric : METRICS.entrySet()) {
            Map<String, Plots.Curve> curves = new LinkedHashMap<>();
            for (Row r : rows) {
                List<TaskResult> ok = results.stream()
                        .filter(t -> t.task().setting().folderName().equals(r.setting().folderName()) && t.status().hasNumbers()
                                && metric(t, metric.getKey()) != null && Double.isFinite(metric(t, metric.getKey())))
                        .sorted(java.util.Comparator.comparingLong(t -> t.task().seed())).toList();
                if (!ok.isEmpty()) {
                    curves.put(r.setting().label(), new Plots.Curve(ok.stream().mapToDouble(t -> t.task().seed()).toArray(),
                            ok.stream().mapToDouble(t -> metric(t, metric.getKey())).toArray()));
                }
            }
            if (!curves.isEmpty()) {
                Plots.curves(folder.resolve(metric.getKey().replace('_', '-') + ".png"), title + ": " + metric.getValue() + " per seed", curves,
                        Plots.Style.of("seed", metric.getValue()));
            }
        }
    }

    private static String number(double v) {
        return Double.toString(v);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
