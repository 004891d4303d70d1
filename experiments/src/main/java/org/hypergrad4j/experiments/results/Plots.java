package org.hypergrad4j.experiments.results;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots of a run with XChart, drawn off screen: loss curves, hyperparameter trajectories and histograms of
 * per-weight hyperparameters.
 *
 * <h2>Headless</h2>
 * Loading this class sets the system property {@code java.awt.headless} to {@code true} unless it is already
 * set, so plots can be drawn on machines without a display (and {@code -Djava.awt.headless=true} works). Text
 * needs at least one font installed (on Debian, {@code fonts-dejavu-core}, which the JDK packages pull in).
 *
 * <h2>Input rules</h2>
 * <ul>
 *   <li>{@code x} is non-empty and finite; every series has exactly {@code x.length} values.</li>
 *   <li>Series are a non-empty map from non-blank names to arrays, drawn in the map's iteration order (use a
 *       {@link java.util.LinkedHashMap} to choose it). {@code NaN} values are gaps in a line (a diverged or not
 *       yet logged value); infinite values are rejected, and so is a series with no finite value.</li>
 *   <li>With a logarithmic y axis every finite value must be positive.</li>
 *   <li>Lines are drawn with a dot on every point when there are at most {@value #MARKER_LIMIT} points (so a
 *       single point is visible), without dots otherwise; the legend is shown for at most
 *       {@value #LEGEND_LIMIT} series (trajectories of many per-weight hyperparameters would only clutter it).</li>
 * </ul>
 * Violations throw {@link IllegalArgumentException} naming the series, the index and the value.
 *
 * <p>Each method writes the PNG (creating missing parent folders, replacing an existing file atomically where
 * the file system allows) and returns its path. Nothing here prints.
 */
public final class Plots {

    /** Series with at most this many points are drawn with a marker on each point. */
    public static final int MARKER_LIMIT = 50;
    /** Charts with at most this many series show a legend. */
    public static final int LEGEND_LIMIT = 12;
    /** The largest number of histogram bins. */
    public static final int MAX_BINS = 10_000;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Plots() {
    }

    /**
     * Size, axis titles and y scale of a plot.
     *
     * @param width  the image width in pixels, in {@code [100, 10000]}
     * @param height the image height in pixels, in {@code [100, 10000]}
     * @param xLabel the x axis title (may be empty)
     * @param yLabel the y axis title (may be empty)
     * @param logY   whether the y axis is logarithmic (base 10)
     */
    public record Style(int width, int height, String xLabel, String yLabel, boolean logY) {

        /** The smallest image side in pixels. */
        public static final int MIN_SIDE = 100;
        /** The largest image side in pixels. */
        public static final int MAX_SIDE = 10_000;

        /**
         * Validates the style.
         *
         * @param width the image width in pixels, in {@code [100, 10000]}
         * @param height the image height in pixels, in {@code [100, 10000]}
         * @param xLabel the x axis title (may be empty)
         * @param yLabel the y axis title (may be empty)
         * @param logY whether the y axis is logarithmic (base 10)
         * @throws IllegalArgumentException if a side is outside {@code [100, 10000]} or a label is null
         */
        public Style {
            checkSide("width", width);
            checkSide("height", height);
            if (xLabel == null || yLabel == null) {
                throw new IllegalArgumentException("Axis titles must not be null (use \"\" for none), but got xLabel="
                        + xLabel + ", yLabel=" + yLabel + ".");
            }
        }

        /**
         * Returns an 800 × 500 style with a linear y axis.
         *
         * @param xLabel the x axis title
         * @param yLabel the y axis title
         * @return the style
         */
        public static Style of(String xLabel, String yLabel) {
            return new Style(800, 500, xLabel, yLabel, false);
        }

        /**
         * Returns this style with another size.
         *
         * @param newWidth  the width in pixels, in {@code [100, 10000]}
         * @param newHeight the height in pixels, in {@code [100, 10000]}
         * @return the new style
         */
        public Style withSize(int newWidth, int newHeight) {
            return new Style(newWidth, newHeight, xLabel, yLabel, logY);
        }

        /**
         * Returns this style with a logarithmic or linear y axis.
         *
         * @param logarithmic whether the y axis is logarithmic
         * @return the new style
         */
        public Style withLogY(boolean logarithmic) {
            return new Style(width, height, xLabel, yLabel, logarithmic);
        }

        private static void checkSide(String name, int pixels) {
            if (pixels < MIN_SIDE || pixels > MAX_SIDE) {
                throw new IllegalArgumentException("The plot " + name + " must lie in [" + MIN_SIDE + ", " + MAX_SIDE
                        + "] pixels, but was " + pixels + ".");
            }
        }
    }

    /**
     * Counts of values in equal-width bins.
     *
     * <p>With {@code lo = min(values)}, {@code hi = max(values)} and {@code w = (hi − lo) / bins}, bin {@code k}
     * is {@code [lo + k w, lo + (k + 1) w)}, the last bin closed on the right so that {@code hi} is counted; a
     * value {@code v} goes to bin {@code min(bins − 1, floor((v − lo) / w))}. If all values are equal, the bins
     * split {@code [v − 0.5, v + 0.5]} instead. The counts sum to {@code values.length}.
     *
     * @param edges  the {@code bins + 1} increasing bin edges
     * @param counts the {@code bins} counts
     */
    public record Histogram(double[] edges, long[] counts) {

        /**
         * Validates the shapes and copies the arrays.
         *
         * @param edges the {@code bins + 1} increasing bin edges
         * @param counts the {@code bins} counts
         * @throws IllegalArgumentException if an array is null or empty, {@code edges.length != counts.length + 1},
         *                                  the edges are not finite and strictly increasing, or a count is negative
         */
        public Histogram {
            if (edges == null || counts == null || counts.length == 0 || edges.length != counts.length + 1) {
                throw new IllegalArgumentException("A histogram needs k ≥ 1 counts and k + 1 edges, but got "
                        + (counts == null ? "null" : counts.length) + " counts and "
                        + (edges == null ? "null" : edges.length) + " edges.");
            }
            for (int i = 0; i < edges.length; i++) {
                if (!Double.isFinite(edges[i]) || (i > 0 && edges[i] <= edges[i - 1])) {
                    throw new IllegalArgumentException("Histogram edges must be finite and strictly increasing, but edge "
                            + i + " is " + edges[i] + (i > 0 ? " after " + edges[i - 1] : "") + ".");
                }
            }
            for (int k = 0; k < counts.length; k++) {
                if (counts[k] < 0) {
                    throw new IllegalArgumentException("Histogram counts must be non-negative, but count " + k + " is "
                            + counts[k] + ".");
                }
            }
            edges = edges.clone();
            counts = counts.clone();
        }

        /**
         * Bins values as described on the record.
         *
         * @param values non-empty, finite values
         * @param bins   the number of bins, in {@code [1, 10000]}
         * @return the histogram
         * @throws IllegalArgumentException if the values are null, empty or not all finite, or {@code bins} is out
         *                                  of range
         */
        public static Histogram of(double[] values, int bins) {
            if (values == null || values.length == 0) {
                throw new IllegalArgumentException("A histogram needs at least one value, but got "
                        + (values == null ? "null" : "an empty array") + ".");
            }
            if (bins < 1 || bins > MAX_BINS) {
                throw new IllegalArgumentException("The number of histogram bins must lie in [1, " + MAX_BINS
                        + "], but was " + bins + ".");
            }
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new IllegalArgumentException("Histogram values must be finite, but value " + i + " is "
                            + values[i] + ".");
                }
                lo = Math.min(lo, values[i]);
                hi = Math.max(hi, values[i]);
            }
            if (lo == hi) {
                lo -= 0.5;
                hi += 0.5;
            }
            double width = (hi - lo) / bins;
            double[] edges = new double[bins + 1];
            for (int k = 0; k <= bins; k++) {
                edges[k] = k == bins ? hi : lo + k * width;
            }
            long[] counts = new long[bins];
            for (double v : values) {
                int k = (int) Math.floor((v - lo) / width);
                counts[Math.max(0, Math.min(bins - 1, k))]++;
            }
            return new Histogram(edges, counts);
        }

        /**
         * Returns the edges.
         *
         * @return a fresh copy of the {@code bins + 1} edges
         */
        @Override
        public double[] edges() {
            return edges.clone();
        }

        /**
         * Returns the counts.
         *
         * @return a fresh copy of the {@code bins} counts
         */
        @Override
        public long[] counts() {
            return counts.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Histogram h && Arrays.equals(edges, h.edges) && Arrays.equals(counts, h.counts);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(edges) + Arrays.hashCode(counts);
        }

        @Override
        public String toString() {
            return "Histogram[edges=" + Arrays.toString(edges) + ", counts=" + Arrays.toString(counts) + "]";
        }
    }

    /**
     * Plots loss curves, 800 × 500 with a linear y axis and the axis titles "step" and "loss".
     *
     * @param png    the file to write
     * @param title  the chart title
     * @param x      the shared x values (e.g. steps)
     * @param series the curves by name, e.g. {@code train} and {@code validation}
     * @return {@code png}
     * @throws IllegalArgumentException if the input breaks the class's input rules
     * @throws UncheckedIOException     if the file cannot be written
     */
    public static Path lossCurves(Path png, String title, double[] x, Map<String, double[]> series) {
        return lossCurves(png, title, x, series, Style.of("step", "loss"));
    }

    /**
     * Plots loss curves as lines.
     *
     * @param png    the file to write
     * @param title  the chart title
     * @param x      the shared x values (e.g. steps)
     * @param series the curves by name
     * @param style  size, axis titles and y scale (use {@link Style#withLogY(boolean)} for losses over decades)
     * @return {@code png}
     * @throws IllegalArgumentException if the input breaks the class's input rules
     * @throws UncheckedIOException     if the file cannot be written
     */
    public static Path lossCurves(Path png, String title, double[] x, Map<String, double[]> series, Style style) {
        return lines(png, title, x, series, style);
    }

    /**
     * One curve of {@link #curves}: its own x values (e.g. each method's cost so far) and y values.
     *
     * @param x finite x values
     * @param y one value per x value (NaN for a gap)
     */
    public record Curve(double[] x, double[] y) {
        public Curve {
            checkX(x);
            if (y == null || y.length != x.length) {
                throw new IllegalArgumentException("A curve needs one y value per x value, but got " + x.length + " x values and "
                        + (y == null ? "null" : y.length + " y values") + ".");
            }
            x = x.clone();
            y = y.clone();
        }

        @Override
        public double[] x() {
            return x.clone();
        }

        @Override
        public double[] y() {
            return y.clone();
        }
    }

    /**
     * Plots curves that each have their own x values (for example an upper-level loss against each method's
     * cost), as lines with markers when a curve has at most {@link #MARKER_LIMIT} points.
     *
     * @param png    the file to write
     * @param title  the chart title
     * @param series the curves by name
     * @param style  size, axis titles and y scale
     * @return {@code png}
     * @throws IllegalArgumentException if the input breaks the class's input rules
     * @throws UncheckedIOException     if the file cannot be written
     */
    public static Path curves(Path png, String title, Map<String, Curve> series, Style style) {
        checkCommon(png, title, style);
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("A plot needs at least one curve, but got "
                    + (series == null ? "null" : "an empty map") + ".");
        }
        for (Map.Entry<String, Curve> e : series.entrySet()) {
            if (e.getValue() == null) {
                throw new IllegalArgumentException("The curve \"" + e.getKey() + "\" is null.");
            }
            checkSeries(e.getKey(), e.getValue().y, e.getValue().x.length, style.logY());
        }
        XYChart chart = chart(title, style);
        chart.getStyler().setLegendVisible(series.size() <= LEGEND_LIMIT);
        for (Map.Entry<String, Curve> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), e.getValue().x(), e.getValue().y());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(e.getValue().x.length > MARKER_LIMIT ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return write(png, chart);
    }

    /**
     * Plots hyperparameter trajectories, 800 × 500 with a linear y axis and the axis titles "hyper-step" and
     * "value".
     *
     * @param png    the file to write
     * @param title  the chart title
     * @param x      the shared x values (e.g. hyper-steps)
     * @param series one trajectory per hyperparameter
     * @return {@code png}
     * @throws IllegalArgumentException if the input breaks the class's input rules
     * @throws UncheckedIOException     if the file cannot be written
     */
    public static Path trajectories(Path png, String title, double[] x, Map<String, double[]> series) {
        return trajectories(png, title, x, series, Style.of("hyper-step", "value"));
    }

    /**
     * Plots hyperparameter trajectories as lines.
     *
     * @param png    the file to write
     * @param title  the chart title
     * @param x      the shared x values (e.g. hyper-steps)
     * @param series one trajectory per hyperparameter
     * @param style  size, axis titles and y scale
     * @return {@code png}
     * @throws IllegalArgumentException if the input breaks the class's input rules
     * @throws UncheckedIOException     if the file cannot be written
     */
    public static Path trajectories(Path png, String title, double[] x, Map<String, double[]> series, Style style) {
        return lines(png, title, x, series, style);
    }

    /**
     * Plots a histogram (e.g. of per-weight log weight decays), 800 × 500 with the axis titles "value" and
     * "count".
     *
     * @param png    the file to write
     * @param title  the chart title
     * @param values the values, non-empty and finite
     * @param bins   the number of equal-width bins, in {@code [1, 10000]} (see {@link Histogram})
     * @return {@code png}
     * @throws IllegalArgumentException if the values or bins are invalid
     * @throws UncheckedIOException     if the file cannot be written
     */
    public static Path histogram(Path png, String title, double[] values, int bins) {
        return histogram(png, title, values, bins, Style.of("value", "count"));
    }

    /**
     * Plots a histogram as filled steps over the bins.
     *
     * @param png    the file to write
     * @param title  the chart title
     * @param values the values, non-empty and finite
     * @param bins   the number of equal-width bins, in {@code [1, 10000]} (see {@link Histogram})
     * @param style  size and axis titles; must not be logarithmic (empty bins have no logarithm)
     * @return {@code png}
     * @throws IllegalArgumentException if the values, bins or style are invalid
     * @throws UncheckedIOException     if the file cannot be written
     */
    public static Path histogram(Path png, String title, double[] values, int bins, Style style) {
        checkCommon(png, title, style);
        if (style.logY()) {
            throw new IllegalArgumentException("A histogram cannot have a logarithmic y axis, since empty bins have count 0.");
        }
        Histogram histogram = Histogram.of(values, bins);
        double[] edges = histogram.edges();
        long[] counts = histogram.counts();
        // A step line through (edge_k, count_k), repeating the last count at the right edge, outlines the bars.
        double[] ys = new double[edges.length];
        for (int k = 0; k < counts.length; k++) {
            ys[k] = counts[k];
        }
        ys[counts.length] = counts[counts.length - 1];
        XYChart chart = chart(title, style);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern(decimalPattern(edges[edges.length - 1] - edges[0]));
        XYSeries s = chart.addSeries("count", edges, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        s.setMarker(SeriesMarkers.NONE);
        return write(png, chart);
    }

    private static Path lines(Path png, String title, double[] x, Map<String, double[]> series, Style style) {
        checkCommon(png, title, style);
        checkX(x);
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("A plot needs at least one series, but got "
                    + (series == null ? "null" : "an empty map") + ".");
        }
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            checkSeries(e.getKey(), e.getValue(), x.length, style.logY());
        }
        XYChart chart = chart(title, style);
        chart.getStyler().setLegendVisible(series.size() <= LEGEND_LIMIT);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), x.clone(), e.getValue().clone());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            if (x.length > MARKER_LIMIT) {
                s.setMarker(SeriesMarkers.NONE);
            } else {
                s.setMarker(SeriesMarkers.CIRCLE);
            }
        }
        return write(png, chart);
    }

    private static XYChart chart(String title, Style style) {
        XYChart chart = new XYChart(style.width(), style.height());
        chart.setTitle(title);
        chart.setXAxisTitle(style.xLabel());
        chart.setYAxisTitle(style.yLabel());
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(style.logY());
        chart.getStyler().setAntiAlias(true);
        return chart;
    }

    /**
     * A tick-label pattern with about three significant digits for an axis spanning {@code range}:
     * {@code clamp(2 − floor(log10 range), 0, 10)} decimals, e.g. {@code 0.##} for a range of 6.
     */
    static String decimalPattern(double range) {
        int decimals = (int) Math.max(0, Math.min(10, 2 - Math.floor(Math.log10(range))));
        return decimals == 0 ? "0" : "0." + "#".repeat(decimals);
    }

    private static Path write(Path png, XYChart chart) {
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("This JVM has no PNG image writer.");
            }
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the plot " + png + ": " + e.getMessage(), e);
        }
        JsonFiles.writeAtomically(png, bytes.toByteArray());
        return png;
    }

    private static void checkCommon(Path png, String title, Style style) {
        if (png == null) {
            throw new IllegalArgumentException("The PNG path of a plot must not be null.");
        }
        if (title == null) {
            throw new IllegalArgumentException("The title of the plot " + png + " must not be null (use \"\" for none).");
        }
        if (style == null) {
            throw new IllegalArgumentException("The style of the plot " + png + " must not be null; use Plots.Style.of.");
        }
    }

    private static void checkX(double[] x) {
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException("A plot needs at least one x value, but got "
                    + (x == null ? "null" : "an empty array") + ".");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException("The x values must be finite, but x[" + i + "] is " + x[i] + ".");
            }
        }
    }

    private static void checkSeries(String name, double[] y, int length, boolean logY) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Series names must be non-blank, but got "
                    + (name == null ? "null" : "\"" + name + "\"") + ".");
        }
        if (y == null) {
            throw new IllegalArgumentException("The series \"" + name + "\" has no values (null).");
        }
        if (y.length != length) {
            throw new IllegalArgumentException("The series \"" + name + "\" has " + y.length + " values, but there are "
                    + length + " x values; the lengths must be equal.");
        }
        boolean anyFinite = false;
        for (int i = 0; i < y.length; i++) {
            if (Double.isInfinite(y[i])) {
                throw new IllegalArgumentException("The series \"" + name + "\" has the infinite value " + y[i]
                        + " at index " + i + "; values must be finite, or NaN for a gap.");
            }
            if (Double.isFinite(y[i])) {
                anyFinite = true;
                if (logY && y[i] <= 0) {
                    throw new IllegalArgumentException("The series \"" + name + "\" has the value " + y[i] + " at index "
                            + i + ", but a logarithmic y axis needs every value to be positive.");
                }
            }
        }
        if (!anyFinite) {
            throw new IllegalArgumentException("The series \"" + name + "\" has no finite value (all " + y.length
                    + " are NaN), so there is nothing to draw.");
        }
    }
}
