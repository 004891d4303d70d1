package org.hypergrad4j.experiments.baselines;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Successive halving (Jamieson and Talwalkar 2016) and Hyperband (Li et al. 2018), costed in training steps like the
 * other searches so that they can be compared with gradient-based tuning at equal cost.
 *
 * <p>Successive halving over {@code n} configurations with minimum budget {@code r} and reduction factor {@code η}:
 * rung {@code i = 0, 1, …} trains each surviving configuration from scratch for {@code r·ηⁱ} steps and keeps the best
 * {@code ⌊n_i/η⌋} by validation loss (failed evaluations last), until one remains or the next rung would exceed the
 * maximum budget {@code R}. Hyperband runs brackets {@code s = s_max, …, 0} with {@code s_max = ⌊log_η(R/r)⌋}: bracket
 * {@code s} starts {@code n_s = ⌈(s_max+1)/(s+1)·η^s⌉} configurations at {@code R·η^{−s}} steps. Configurations are
 * taken in order from a deterministic list of points (for example a {@link RandomSearch}'s), each used once.
 * Trials are recorded in evaluation order with their cumulative steps, so {@link SearchResult#bestSoFar()} reads
 * the best validation loss against cost.
 */
public final class SuccessiveHalving {
    private SuccessiveHalving() {
    }

    /**
     * One successive-halving bracket.
     *
     * @param points     the configurations, in order; {@code n} are used
     * @param n          how many to start, {@code 1 ≤ n ≤ points.size()}
     * @param minSteps   {@code r}, the first rung's steps, at least 1
     * @param maxSteps   {@code R}, the most steps one configuration gets, at least {@code r}
     * @param eta        the reduction factor {@code η ≥ 2}
     * @throws IllegalArgumentException naming the argument out of range
     */
    public static SearchResult run(Objective objective, List<Map<String, Double>> points, int n, long minSteps, long maxSteps, int eta) {
        check(points, n, minSteps, maxSteps, eta);
        List<Trial> trials = new ArrayList<>();
        bracket(objective, points.subList(0, n), minSteps, maxSteps, eta, trials);
        return new SearchResult(trials, SearchResult.StopReason.COMPLETED);
    }

    /**
     * Hyperband: brackets from the most exploratory ({@code s_max}) to plain full-budget evaluation ({@code s = 0}).
     *
     * @param points the configurations, used in order; there must be enough for every bracket
     *               ({@link #hyperbandConfigurations})
     * @throws IllegalArgumentException naming the argument out of range, or if there are too few points
     */
    public static SearchResult hyperband(Objective objective, List<Map<String, Double>> points, long minSteps, long maxSteps, int eta) {
        int needed = hyperbandConfigurations(minSteps, maxSteps, eta);
        if (points == null || points.size() < needed) {
            throw new IllegalArgumentException("Hyperband with r = " + minSteps + ", R = " + maxSteps + ", η = " + eta + " starts " + needed
                    + " configurations, but only " + (points == null ? 0 : points.size()) + " points were given.");
        }
        int sMax = sMax(minSteps, maxSteps, eta);
        List<Trial> trials = new ArrayList<>();
        int next = 0;
        for (int s = sMax; s >= 0; s--) {
            int ns = bracketSize(sMax, s, eta);
            long rs = Math.max(minSteps, (long) Math.floor(maxSteps / Math.pow(eta, s)));
            bracket(objective, points.subList(next, next + ns), rs, maxSteps, eta, trials);
            next += ns;
        }
        return new SearchResult(trials, SearchResult.StopReason.COMPLETED);
    }

    /** How many configurations Hyperband starts over all its brackets. */
    public static int hyperbandConfigurations(long minSteps, long maxSteps, int eta) {
        if (minSteps < 1 || maxSteps < minSteps || eta < 2) {
            throw new IllegalArgumentException("Hyperband needs 1 ≤ r ≤ R and η ≥ 2, got r = " + minSteps + ", R = " + maxSteps + ", η = " + eta + ".");
        }
        int sMax = sMax(minSteps, maxSteps, eta);
        int total = 0;
        for (int s = sMax; s >= 0; s--) {
            total += bracketSize(sMax, s, eta);
        }
        return total;
    }

    private static int sMax(long minSteps, long maxSteps, int eta) {
        int s = 0;
        while (minSteps * Math.pow(eta, s + 1) <= maxSteps) {
            s++;
        }
        return s;
    }

    private static int bracketSize(int sMax, int s, int eta) {
        return (int) Math.ceil((double) (sMax + 1) / (s + 1) * Math.pow(eta, s));
    }

    private static void bracket(Objective objective, List<Map<String, Double>> configurations, long minSteps, long maxSteps, int eta,
            List<Trial> trials) {
        List<Map<String, Double>> alive = new ArrayList<>(configurations);
        long steps = minSteps;
        while (true) {
            List<Trial> rung = new ArrayList<>();
            for (Map<String, Double> point : alive) {
                Evaluation e = objective.evaluate(point, steps);
                if (e == null) {
                    throw new IllegalStateException("The objective returned no evaluation for the point " + point + ".");
                }
                if (e.stepsUsed() > steps) {
                    throw new IllegalStateException("The objective used " + e.stepsUsed() + " training steps for the point " + point
                            + ", more than the " + steps + " it was allowed.");
                }
                long cumulative = (trials.isEmpty() ? 0 : trials.get(trials.size() - 1).cumulativeSteps()) + e.stepsUsed();
                Trial t = new Trial(trials.size(), point, e, cumulative);
                trials.add(t);
                rung.add(t);
            }
            int keep = alive.size() / eta;
            if (keep < 1 || steps * eta > maxSteps) {
                return;
            }
            rung.sort(Comparator.comparingDouble((Trial t) -> t.evaluation().succeeded() ? t.evaluation().validationLoss() : Double.POSITIVE_INFINITY)
                    .thenComparingInt(Trial::index));
            alive = rung.subList(0, keep).stream().map(Trial::point).toList();
            steps *= eta;
        }
    }

    private static void check(List<Map<String, Double>> points, int n, long minSteps, long maxSteps, int eta) {
        if (points == null) {
            throw new IllegalArgumentException("Successive halving needs a list of points.");
        }
        if (n < 1 || n > points.size()) {
            throw new IllegalArgumentException("Successive halving starts n configurations with 1 ≤ n ≤ " + points.size() + " (the points given), got n = "
                    + n + ".");
        }
        if (minSteps < 1 || maxSteps < minSteps) {
            throw new IllegalArgumentException("Successive halving needs 1 ≤ r ≤ R steps, got r = " + minSteps + ", R = " + maxSteps + ".");
        }
        if (eta < 2) {
            throw new IllegalArgumentException("The reduction factor η must be at least 2, got " + eta + ".");
        }
    }
}
