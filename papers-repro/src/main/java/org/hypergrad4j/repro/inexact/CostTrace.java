package org.hypergrad4j.repro.inexact;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;
import org.hypergrad4j.bilevel.inexact.Hoag;
import org.hypergrad4j.bilevel.inexact.InexactProblem;
import org.hypergrad4j.bilevel.inexact.Maid;

/**
 * The upper-level value at the lower-level solution, {@code F(λ_k) = f(w*(λ_k))}, of an inexact bilevel method's
 * iterates against its cost (lower-level plus CG iterations) so far. The first point is the starting
 * hyperparameters at cost 0. {@code F} is evaluated by an independent, tight lower-level solve after each
 * iteration, so methods that see their values at different accuracies are compared on one footing; those
 * evaluations are not part of the cost.
 */
public final class CostTrace {

    /**
     * @param cost            lower-level plus CG iterations spent up to this iterate
     * @param upperValue      {@code F} at this iterate
     * @param hyperparameters the iterate λ (in {@link org.hypergrad4j.core.ParamVector#toDoubleArray()} order)
     */
    public record Point(long cost, double upperValue, double[] hyperparameters) {
        public Point {
            hyperparameters = hyperparameters.clone();
        }

        @Override
        public double[] hyperparameters() {
            return hyperparameters.clone();
        }
    }

    private final List<Point> points;

    private CostTrace(List<Point> points) {
        this.points = List.copyOf(points);
    }

    /**
     * Runs MAID on {@code problem} (the problem it was built on) for at most {@code iterations} iterations or until
     * its cost reaches {@code maxCost}, recording λ and {@code exactUpperValue} (which must leave the problem's
     * arrays as it found them) after every iteration.
     */
    public static CostTrace of(Maid maid, InexactProblem problem, int iterations, long maxCost, DoubleSupplier exactUpperValue) {
        Objects.requireNonNull(maid, "maid");
        Recorder recorder = new Recorder(problem, exactUpperValue);
        maid.run(iterations, maxCost, line -> recorder.record(line.cost()));
        return new CostTrace(recorder.points);
    }

    /** As {@link #of(Maid, InexactProblem, int, long, DoubleSupplier)}, for HOAG. */
    public static CostTrace of(Hoag hoag, InexactProblem problem, int iterations, long maxCost, DoubleSupplier exactUpperValue) {
        Objects.requireNonNull(hoag, "hoag");
        Recorder recorder = new Recorder(problem, exactUpperValue);
        hoag.run(iterations, maxCost, line -> recorder.record(line.cost()));
        return new CostTrace(recorder.points);
    }

    private static final class Recorder {
        final InexactProblem problem;
        final DoubleSupplier exactUpperValue;
        final List<Point> points = new ArrayList<>();

        Recorder(InexactProblem problem, DoubleSupplier exactUpperValue) {
            this.problem = Objects.requireNonNull(problem, "problem");
            this.exactUpperValue = Objects.requireNonNull(exactUpperValue, "exactUpperValue");
            record(0);
        }

        void record(long cost) {
            points.add(new Point(cost, exactUpperValue.getAsDouble(), problem.lower().hyperparameters().toDoubleArray()));
        }
    }

    /** The recorded points, in order of cost. */
    public List<Point> points() {
        return points;
    }

    /** The last point. */
    public Point last() {
        return points.get(points.size() - 1);
    }

    /** The last point with cost at most {@code budget}: the iterate a method holds when that much is spent. */
    public Point at(long budget) {
        Point last = points.get(0);
        for (Point p : points) {
            if (p.cost() <= budget) {
                last = p;
            }
        }
        return last;
    }

    /** The cost of the first point whose {@code F} is at most {@code target}, or empty if none reaches it. */
    public OptionalLong costToReach(double target) {
        for (Point p : points) {
            if (p.upperValue() <= target) {
                return OptionalLong.of(p.cost());
            }
        }
        return OptionalLong.empty();
    }

    /** The costs as doubles, for plotting. */
    public double[] costs() {
        return points.stream().mapToDouble(Point::cost).toArray();
    }

    /** The values, for plotting. */
    public double[] values() {
        return points.stream().mapToDouble(Point::upperValue).toArray();
    }
}
