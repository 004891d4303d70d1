package org.hypergrad4j.bilevel.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.hypergrad4j.hypergrad.NonFiniteValueException;

/**
 * The one training loop of every trainer. A trainer supplies its unit of work ({@link #runUnit}: a hyper-step,
 * an STN cycle, a hypernetwork step) and its state ({@link #saveState}, {@link #loadState}); the loop owns the
 * rest: the unit counter, the last good state and the restore on failure, evaluation and checkpoint cadence,
 * listeners, {@link #runFor(long)}, resuming from the newest intact checkpoint, and the wall time across
 * resumes.
 *
 * <h2>Failure</h2>
 * A unit fails when it throws {@link NonFiniteValueException} (NaN or infinity in a loss, gradient, product or
 * update), when its {@link UnitEvent#monitoredLoss()} is not finite, or when the loss has blown up: with
 * {@code L₁} the first kept unit's loss and {@code L*} the smallest kept so far, a loss
 * {@code L > max(L₁, f·L*)} for the blow-up factor {@code f} (default {@value #DEFAULT_BLOW_UP_FACTOR}; the rule
 * applies while the losses are positive). The loop then restores the state after the last good unit, tells the
 * listeners, and returns {@link TrainingSummary.Status#DIVERGED}: nothing computed from the failed unit is
 * kept, and the restored state is one whose loss passed the same rule.
 *
 * <h2>Order of one unit</h2>
 * {@link #runUnit}, checks, the state is taken as the last good one, {@link TrainingListener#onUnit}, an
 * evaluation if due ({@link TrainingListener#onEvaluation}), a checkpoint if due (committed before
 * {@link TrainingListener#onCheckpoint}). Listeners that log a unit therefore log it before its checkpoint, so a
 * log never lacks a unit that a checkpoint holds.
 *
 * <h2>Resume</h2>
 * {@link #resumeFrom(Path)} loads the newest intact committed checkpoint ({@link Checkpoints}), refuses one
 * written with another configuration (naming the first field that differs), and continues bit-identically:
 * a trainer's random streams must be functions of its seed and its counters, which its state holds.
 *
 * @param <E> the trainer's unit event
 * @param <T> the trainer itself, so that the fluent methods return it
 */
public abstract class TrainingLoop<E extends UnitEvent, T extends TrainingLoop<E, T>> {
    /** The default blow-up factor {@code f}: four orders of magnitude over the best loss so far. */
    public static final double DEFAULT_BLOW_UP_FACTOR = 1e4;

    private final String unitName;
    private final int evaluateEvery;
    private final List<TrainingListener<? super E>> listeners = new ArrayList<>();
    private Path checkpointFolder;
    private int checkpointEvery;
    private double blowUpFactor = DEFAULT_BLOW_UP_FACTOR;
    private long unitsDone;
    private double keptSeconds;
    private double firstLoss = Double.NaN;
    private double bestLoss = Double.NaN;
    private TrainingState lastGood;
    private List<String> resumeNotes = List.of();
    private String recordedSettings = "";
    private long callStart;
    private double secondsAtCallStart;

    /**
     * @param unitName        what a unit is, for messages: {@code "hyper-step"}, {@code "cycle"}, {@code "step"}
     * @param evaluateEvery   evaluate every this many units (where {@link #evaluate} gives something); 0 never
     * @param checkpointEvery checkpoint every this many units once {@link #checkpointTo} names a folder; 0 never
     */
    protected TrainingLoop(String unitName, int evaluateEvery, int checkpointEvery) {
        this.unitName = Objects.requireNonNull(unitName, "unitName");
        if (evaluateEvery < 0 || checkpointEvery < 0) {
            throw new IllegalArgumentException("evaluateEvery and checkpointEvery must be at least 0, got " + evaluateEvery + " and "
                    + checkpointEvery + ".");
        }
        this.evaluateEvery = evaluateEvery;
        this.checkpointEvery = checkpointEvery;
    }

    // ---- what a trainer supplies

    /** The number of units of the whole run. */
    protected abstract long totalUnits();

    /**
     * Runs unit number {@code unit} (from 1) and returns its event; throws {@link NonFiniteValueException} naming
     * the computation that produced NaN or infinity. {@link #elapsedSeconds()} gives the run's wall time so far.
     */
    protected abstract E runUnit(long unit);

    /**
     * Work before the first unit (a warm-up), run by every {@code run}; must do nothing once done.
     *
     * @return whether it changed the state (then the loop takes it as the last good state again)
     */
    protected boolean beforeUnits() {
        return false;
    }

    /** An evaluation after {@code unit} units, or null if this trainer does not evaluate. */
    protected TrainingListener.EvaluationEvent evaluate(long unit) {
        return null;
    }

    /** Puts everything a resumed run needs into {@code state} (the loop adds its own counters). */
    protected abstract void saveState(TrainingState state);

    /** Restores a state written by {@link #saveState}. */
    protected abstract void loadState(TrainingState state);

    /** The settings a checkpoint must have been written with, as text ({@code record.toString()}). */
    protected abstract String configuration();

    // ---- the loop

    public T addListener(TrainingListener<? super E> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return self();
    }

    /** Commits a checkpoint into {@code folder} at the configured cadence. */
    public T checkpointTo(Path folder) {
        this.checkpointFolder = Objects.requireNonNull(folder, "folder");
        return self();
    }

    /** Commits a checkpoint into {@code folder} every {@code every} units. */
    public T checkpointTo(Path folder, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("The checkpoint interval must be at least 1 " + unitName + ", got " + every + ".");
        }
        this.checkpointEvery = every;
        return checkpointTo(folder);
    }

    /** Sets the blow-up factor {@code f} of the failure rule (above 1; infinity checks finiteness only). */
    public T blowUpFactor(double factor) {
        if (!(factor > 1)) {
            throw new IllegalArgumentException("The blow-up factor must exceed 1, got " + factor + ".");
        }
        this.blowUpFactor = factor;
        return self();
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /**
     * Settings beyond the trainer's configuration that a checkpoint must match on resume (an experiment's whole
     * configuration, {@code record.toString()}): a resume with any field changed is refused, naming the field.
     */
    public T recordSettings(String settings) {
        this.recordedSettings = Objects.requireNonNull(settings, "settings");
        return self();
    }

    /** Units completed and kept. */
    public long unitsDone() {
        return unitsDone;
    }

    /** Wall time of the units kept, across resumes. */
    public double keptSeconds() {
        return keptSeconds;
    }

    /** What the last {@link #resumeFrom} skipped: damaged newer checkpoints, one sentence each. */
    public List<String> resumeNotes() {
        return resumeNotes;
    }

    /** The wall time of the run so far: earlier sessions' kept units plus this call's time. */
    protected final double elapsedSeconds() {
        return secondsAtCallStart + (System.nanoTime() - callStart) / 1e9;
    }

    /** Runs every remaining unit. */
    public TrainingSummary run() {
        return runFor(totalUnits() - unitsDone);
    }

    /** Runs at most {@code count} more units (fewer when the run ends first). */
    public TrainingSummary runFor(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("The number of " + unitName + "s to run must be at least 0, got " + count + ".");
        }
        callStart = System.nanoTime();
        secondsAtCallStart = keptSeconds;
        long end = Math.min(totalUnits(), unitsDone + count);
        String stage = "before the first " + unitName;
        try {
            lastGood = capture();
            if (beforeUnits()) {
                lastGood = capture();
            }
            while (unitsDone < end) {
                long unit = unitsDone + 1;
                stage = unitName + " " + unit;
                E event = runUnit(unit);
                checkLoss(event.monitoredLoss(), unit);
                unitsDone = unit;
                keptSeconds = elapsedSeconds();
                if (Double.isNaN(firstLoss)) {
                    firstLoss = event.monitoredLoss();
                }
                bestLoss = Double.isNaN(bestLoss) ? event.monitoredLoss() : Math.min(bestLoss, event.monitoredLoss());
                lastGood = capture();
                fire(l -> l.onUnit(event));
                if (evaluateEvery > 0 && unit % evaluateEvery == 0) {
                    TrainingListener.EvaluationEvent evaluation = evaluate(unit);
                    if (evaluation != null) {
                        fire(l -> l.onEvaluation(evaluation));
                    }
                }
                if (checkpointFolder != null && checkpointEvery > 0 && unit % checkpointEvery == 0) {
                    Path folder = Checkpoints.write(checkpointFolder, unit, lastGood);
                    fire(l -> l.onCheckpoint(new TrainingListener.CheckpointEvent(unit, folder)));
                }
            }
        } catch (NonFiniteValueException | BlownUpLoss e) {
            restore(lastGood);
            String what = e instanceof BlownUpLoss ? "A blown-up loss" : "NaN or infinity";
            String message = what + " at " + stage + ": " + e.getMessage() + " Restored the state after " + unitName + " " + unitsDone + ".";
            String failed = stage + ": " + (e instanceof NonFiniteValueException n ? n.stage() : "the monitored loss");
            fire(l -> l.onRecovery(new TrainingListener.Recovery(unitsDone, failed, message)));
            return summary(TrainingSummary.Status.DIVERGED, message);
        }
        if (unitsDone < totalUnits()) {
            return summary(TrainingSummary.Status.PAUSED, "paused after " + unitName + " " + unitsDone + " of " + totalUnits());
        }
        return summary(TrainingSummary.Status.COMPLETED, "completed " + unitsDone + " " + unitName + "s");
    }

    private TrainingSummary summary(TrainingSummary.Status status, String message) {
        return new TrainingSummary(status, unitsDone, unitName, message, (System.nanoTime() - callStart) / 1e9, keptSeconds);
    }

    private void checkLoss(double loss, long unit) {
        if (!Double.isFinite(loss)) {
            throw new NonFiniteValueException("the monitored loss of " + unitName + " " + unit + " (" + loss + ")", null);
        }
        if (firstLoss > 0 && bestLoss > 0 && !Double.isInfinite(blowUpFactor)) {
            double limit = Math.max(firstLoss, blowUpFactor * bestLoss);
            if (loss > limit) {
                throw new BlownUpLoss("the loss " + loss + " exceeds max(first loss " + firstLoss + ", " + blowUpFactor + " × best loss "
                        + bestLoss + ") = " + limit + ".");
            }
        }
    }

    /** A finite loss past the blow-up limit: a failure like NaN, with its own message. */
    private static final class BlownUpLoss extends RuntimeException {
        BlownUpLoss(String message) {
            super(message, null, false, false);
        }
    }

    private void fire(Consumer<TrainingListener<? super E>> event) {
        listeners.forEach(event);
    }

    private TrainingState capture() {
        TrainingState s = new TrainingState();
        saveState(s);
        s.put("loop.unit", unitName);
        s.put("loop.units", unitsDone);
        s.put("loop.seconds", keptSeconds);
        s.put("loop.firstLoss", firstLoss);
        s.put("loop.bestLoss", bestLoss);
        s.put("loop.configuration", configuration());
        s.put("loop.settings", recordedSettings);
        return s;
    }

    private void restore(TrainingState s) {
        loadState(s);
        unitsDone = s.longValue("loop.units");
        keptSeconds = s.doubleValue("loop.seconds");
        firstLoss = s.doubleValue("loop.firstLoss");
        bestLoss = s.doubleValue("loop.bestLoss");
    }

    /** Commits a checkpoint of the current state into {@code folder} (see {@link Checkpoints}); returns its folder. */
    public Path saveCheckpoint(Path folder) {
        return Checkpoints.write(folder, unitsDone, capture());
    }

    /**
     * Restores the newest intact checkpoint in {@code folder} into this trainer, which must be built as for the run
     * that wrote it. Damaged newer checkpoints are skipped and reported by {@link #resumeNotes()}.
     *
     * @throws IllegalArgumentException if there is no intact checkpoint, it was written with another configuration
     *                                  (the field is named), or it does not fit the trainer's model
     */
    public T resumeFrom(Path folder) {
        Checkpoints.Loaded loaded = Checkpoints.readLatest(folder);
        TrainingState s = loaded.state();
        if (!s.string("loop.unit").equals(unitName)) {
            throw new IllegalArgumentException("The checkpoint at " + loaded.folder() + " counts " + s.string("loop.unit")
                    + "s, but this trainer runs " + unitName + "s: it belongs to another kind of trainer.");
        }
        String recorded = s.string("loop.configuration");
        if (!recorded.equals(configuration())) {
            throw new IllegalArgumentException("The checkpoint at " + loaded.folder() + " was written with another configuration: "
                    + difference(recorded, configuration()) + ".");
        }
        String settings = s.has("loop.settings") ? s.string("loop.settings") : "";
        if (!settings.equals(recordedSettings)) {
            throw new IllegalArgumentException("The checkpoint at " + loaded.folder() + " was written with other settings: "
                    + difference(settings, recordedSettings) + "; a resumed run must keep every setting of the run it continues.");
        }
        restore(s);
        lastGood = s;
        resumeNotes = loaded.skipped();
        return self();
    }

    /** The first field that differs between two {@code Record[a=1, b=2]} texts, or both texts. */
    static String difference(String recorded, String current) {
        Map<String, String> a = fields(recorded);
        Map<String, String> b = fields(current);
        for (Map.Entry<String, String> e : a.entrySet()) {
            if (!Objects.equals(e.getValue(), b.get(e.getKey()))) {
                return e.getKey() + " was " + e.getValue() + ", now " + b.get(e.getKey());
            }
        }
        return "it was " + recorded + ", now " + current;
    }

    private static Map<String, String> fields(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        int open = text.indexOf('[');
        if (open < 0 || !text.endsWith("]")) {
            return m;
        }
        int depth = 0;
        int from = open + 1;
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[' || c == '(' || c == '{') {
                depth++;
            } else if ((c == ']' || c == ')' || c == '}') && depth > 0) {
                depth--;
            } else if ((c == ',' && depth == 0) || i == text.length() - 1) {
                String field = text.substring(from, i).trim();
                int eq = field.indexOf('=');
                if (eq > 0) {
                    m.put(field.substring(0, eq), field.substring(eq + 1));
                }
                from = i + 1;
            }
        }
        return m;
    }
}
