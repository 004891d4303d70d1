package org.hypergrad4j.bilevel.train;

import java.io.PrintStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.hypergrad4j.bilevel.optim.Optimizer;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.hypergrad.HypergradientMethod;
import org.hypergrad4j.hypergrad.NonFiniteValueException;

/**
 * The one training loop of every trainer. A trainer supplies its unit of work ({@link #runUnit}: a hyper-step,
 * an STN cycle, a hypernetwork step) and declares its state ({@link #keep keep} for tensors, optimisers and a
 * method, {@link #keepCounter} for counters, {@link #saveState}/{@link #loadState} for anything else); the loop owns the
 * rest: the unit counter, the last good state and the restore on failure, evaluation and checkpoint cadence,
 * listeners, {@link #runFor(long)}, resuming from the newest intact checkpoint, and the wall time across
 * resumes.
 *
 * <h2>Failure</h2>
 * A unit fails when it throws {@link NonFiniteValueException} (NaN or infinity in a loss, gradient, product or
 * update), when its monitored loss (the constructor's {@code monitoredLoss} of its event) is not finite, or when the loss has blown up: with
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
 * <h2>History</h2>
 * {@link #history()} holds the event of every kept unit, across resumes: checkpoints carry it, each event
 * encoded once as a line of JSON ({@code RecordText}) when its unit is kept.
 *
 * @param <E> the trainer's unit event, a record of what one unit did, of values that JSON carries exactly (numbers, enums,
 *            maps, …; checked at the first unit)
 * @param <T> the trainer itself, so that the fluent methods return it
 */
public abstract class TrainingLoop<E extends Record, T extends TrainingLoop<E, T>> {
    /** The default blow-up factor {@code f}: four orders of magnitude over the best loss so far. */
    public static final double DEFAULT_BLOW_UP_FACTOR = 1e4;

    private final String unitName;
    private final Class<E> eventType;
    private final ToDoubleFunction<? super E> monitoredLoss;
    private final List<E> history = new ArrayList<>();
    /** The history as JSON lines ({@link RecordText}), each appended once when its unit is kept. */
    private final StringBuilder historyText = new StringBuilder();
    private final List<TrainingListener<? super E>> listeners = new ArrayList<>();
    private final List<StatePart> parts = new ArrayList<>();
    private final Map<Optimizer, String> optimizers = new IdentityHashMap<>();
    private int evaluateEvery;
    private Path checkpointFolder;
    private int checkpointEvery;
    private double blowUpFactor = DEFAULT_BLOW_UP_FACTOR;
    private long unitsDone;
    private double keptSeconds;
    private double firstLoss = Double.NaN;
    private double bestLoss = Double.NaN;
    private TrainingState lastGood;
    private List<String> resumeNotes = List.of();
    private Record recordedSettings;
    private Map<String, String> identity;
    private long callStart;
    private double secondsAtCallStart;

    /**
     * @param unitName  what a unit is, for messages: {@code "hyper-step"}, {@code "cycle"}, {@code "step"}
     * @param eventType     the unit event's record class
     * @param monitoredLoss the loss of a unit's event that the loop watches for failure (the training loss of a
     *                      joint-training hyper-step, for example)
     */
    protected TrainingLoop(String unitName, Class<E> eventType, ToDoubleFunction<? super E> monitoredLoss) {
        this.unitName = Objects.requireNonNull(unitName, "unitName");
        this.eventType = Objects.requireNonNull(eventType, "eventType");
        this.monitoredLoss = Objects.requireNonNull(monitoredLoss, "monitoredLoss");
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

    /** Puts what a resumed run needs beyond the parts {@link #keep kept} and the {@link #keepCounter counters} into {@code state}. */
    protected void saveState(TrainingState state) {
    }

    /** Restores what {@link #saveState} wrote. */
    protected void loadState(TrainingState state) {
    }

    /** Keeps the live tensors {@code tensors} (read anew at each save and restore) in every state, restoring them in place. */
    protected final void keep(String name, Supplier<ParamVector> tensors) {
        parts.add(new StatePart(s -> s.put(name, tensors.get()), s -> s.restoreInto(name, tensors.get(), "trainer's " + name)));
    }

    /** Keeps an optimiser's moments and step count in every state; each kept optimiser must be its own object. */
    protected final void keep(String name, Optimizer optimizer) {
        String other = optimizers.putIfAbsent(optimizer, name);
        if (other != null) {
            throw new IllegalArgumentException(other + " and " + name + " need two optimiser objects: one would mix their states.");
        }
        parts.add(new StatePart(s -> s.put(name + ".steps", optimizer.steps()).putGroups(name, optimizer.state()),
                s -> optimizer.restore(s.groups(name), s.longValue(name + ".steps"))));
    }

    /** Keeps what a hypergradient method carries between calls (a warm start) in every state. */
    protected final void keep(String name, HypergradientMethod method) {
        parts.add(new StatePart(s -> s.putGroups(name, method.carriedState()), s -> method.restoreCarriedState(s.groups(name))));
    }

    /** Keeps a counter of the trainer (inner steps so far, …) in every state: read at each save, set at each restore. */
    protected final void keepCounter(String name, LongSupplier value, LongConsumer restore) {
        parts.add(new StatePart(s -> s.put(name, value.getAsLong()), s -> restore.accept(s.longValue(name))));
    }

    private record StatePart(Consumer<TrainingState> save, Consumer<TrainingState> load) {
    }

    /** The settings a checkpoint must have been written with: a resume compares them field by field. */
    protected abstract Record configuration();

    // ---- the loop

    public T addListener(TrainingListener<? super E> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return self();
    }

    /** Evaluates every {@code every} units (where {@link #evaluate} gives something); 0, the default, never. */
    public T evaluateEvery(int every) {
        this.evaluateEvery = atLeast(0, every, "evaluation interval");
        return self();
    }

    /** Commits a checkpoint into {@code folder} after every unit. */
    public T checkpointTo(Path folder) {
        return checkpointTo(folder, 1);
    }

    /** Commits a checkpoint into {@code folder} every {@code every} units. */
    public T checkpointTo(Path folder, int every) {
        this.checkpointEvery = atLeast(1, every, "checkpoint interval");
        this.checkpointFolder = Objects.requireNonNull(folder, "folder");
        return self();
    }

    private int atLeast(int min, int value, String what) {
        if (value < min) {
            throw new IllegalArgumentException("The " + what + " must be at least " + min + " " + unitName + "s, got " + value + ".");
        }
        return value;
    }

    /** Sets the blow-up factor {@code f} of the failure rule (above 1; infinity checks finiteness only). */
    public T blowUpFactor(double factor) {
        if (!(factor > 1)) {
            throw new IllegalArgumentException("The blow-up factor must exceed 1, got " + factor + ".");
        }
        this.blowUpFactor = factor;
        return self();
    }

    /** Prints every {@code every}-th unit's event (as its record prints), and every recovery and checkpoint, to {@code out}: a progress log. */
    public T printEvery(PrintStream out, int every) {
        Objects.requireNonNull(out, "out");
        atLeast(1, every, "printing interval");
        return addListener(new TrainingListener<>() {
            @Override
            public void onUnit(E event) {
                if (unitsDone % every == 0) {
                    out.println(event);
                }
            }

            @Override
            public void onRecovery(TrainingListener.Recovery event) {
                out.println("recovered: " + event.message());
            }

            @Override
            public void onCheckpoint(TrainingListener.CheckpointEvent event) {
                out.println("checkpoint after " + unitName + " " + event.unit() + " in " + event.folder());
            }
        });
    }

    /** The loss the loop watches in {@code event}. */
    double monitoredLoss(E event) {
        return monitoredLoss.applyAsDouble(event);
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /**
     * Settings beyond the trainer's configuration that a checkpoint must match on resume (an experiment's whole
     * configuration): a resume with any field changed is refused, naming the field.
     */
    public T recordSettings(Record settings) {
        this.recordedSettings = Objects.requireNonNull(settings, "settings");
        this.identity = null;
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

    /** The events of the kept units, in order, across resumes. */
    public List<E> history() {
        return List.copyOf(history);
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

    /** Runs until {@code unitsDone() == unit} (or a failure ends the run); {@code unit} lies in [units done, total units]. */
    public TrainingSummary runUntil(long unit) {
        if (unit < unitsDone || unit > totalUnits()) {
            throw new IllegalArgumentException("Cannot run until " + unitName + " " + unit + ": " + unitsDone + " are done and the run has "
                    + totalUnits() + ".");
        }
        return runFor(unit - unitsDone);
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
                double loss = monitoredLoss(event);
                checkLoss(loss, unit);
                RecordText.appendLine(historyText, event, history.isEmpty());
                history.add(event);
                unitsDone = unit;
                keptSeconds = elapsedSeconds();
                if (Double.isNaN(firstLoss)) {
                    firstLoss = loss;
                }
                bestLoss = Double.isNaN(bestLoss) ? loss : Math.min(bestLoss, loss);
                lastGood = capture();
                fire(l -> l.onUnit(event));
                if (evaluateEvery > 0 && unit % evaluateEvery == 0) {
                    TrainingListener.EvaluationEvent evaluation = evaluate(unit);
                    if (evaluation != null) {
                        fire(l -> l.onEvaluation(evaluation));
                    }
                }
                if (checkpointFolder != null && checkpointEvery > 0 && unit % checkpointEvery == 0) {
                    Path folder = Checkpoints.write(checkpointFolder, unit, withHistory(lastGood));
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

    /**
     * Throws {@link NonFiniteValueException} naming {@code what + " " + index} when {@code value} is not finite or
     * {@code tensors} (may be null) holds NaN or infinity; the message is built only then.
     */
    protected static void requireFinite(String what, long index, double value, ParamVector tensors) {
        String bad = tensors == null ? null : tensors.firstNonFinite();
        if (bad != null || !Double.isFinite(value)) {
            throw new NonFiniteValueException(what + " " + index + (Double.isFinite(value) ? "" : " (value " + value + ")"), bad);
        }
    }

    /** Refuses a batch size above the number of examples of {@code data}, naming the set. */
    protected static void requireBatchFits(int batchSize, Dataset data, String set) {
        if (batchSize > data.numExamples()) {
            throw new IllegalArgumentException(set + " batch size " + batchSize + " exceeds the " + data.numExamples() + " " + set.toLowerCase()
                    + " examples of '" + data.name() + "'.");
        }
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
        parts.forEach(p -> p.save().accept(s));
        saveState(s);
        s.put("loop.unit", unitName);
        s.put("loop.units", unitsDone);
        s.put("loop.seconds", keptSeconds);
        s.put("loop.firstLoss", firstLoss);
        s.put("loop.bestLoss", bestLoss);
        identity().forEach(s::put);
        return s;
    }

    /**
     * {@code s} with the history added: only states that go to disk carry it, since a restore in memory never
     * shortens it (a failed unit's event is not added).
     */
    private TrainingState withHistory(TrainingState s) {
        return s.put("history", historyText.toString());
    }

    /** The configuration's and recorded settings' fields as state values, read once: both are immutable records. */
    private Map<String, String> identity() {
        if (identity == null) {
            identity = new LinkedHashMap<>();
            fields(configuration()).forEach((k, v) -> identity.put("configuration." + k, v));
            fields(recordedSettings).forEach((k, v) -> identity.put("settings." + k, v));
        }
        return identity;
    }

    private void restore(TrainingState s) {
        parts.forEach(p -> p.load().accept(s));
        loadState(s);
        unitsDone = s.longValue("loop.units");
        keptSeconds = s.doubleValue("loop.seconds");
        firstLoss = s.doubleValue("loop.firstLoss");
        bestLoss = s.doubleValue("loop.bestLoss");
    }

    /** Commits a checkpoint of the current state into {@code folder} (see {@link Checkpoints}); returns its file. */
    public Path saveCheckpoint(Path folder) {
        return Checkpoints.write(folder, unitsDone, withHistory(capture()));
    }

    /**
     * Restores the newest intact checkpoint in {@code folder} into this trainer, which must be built as for the run
     * that wrote it. Damaged newer checkpoints are skipped and reported by {@link #resumeNotes()}.
     *
     * @throws IllegalArgumentException if there is no intact checkpoint, it was written with another configuration
     *                                  (the field is named), or it does not fit the trainer's model; the trainer is
     *                                  then left as it was
     */
    public T resumeFrom(Path folder) {
        Checkpoints.Loaded loaded = Checkpoints.readLatest(folder);
        TrainingState s = loaded.state();
        if (!s.string("loop.unit").equals(unitName)) {
            throw new IllegalArgumentException("The checkpoint at " + loaded.folder() + " counts " + s.string("loop.unit")
                    + "s, but this trainer runs " + unitName + "s: it belongs to another kind of trainer.");
        }
        requireSameIdentity(s);
        String savedText = s.string("history");
        List<E> savedHistory = RecordText.decodeLines(eventType, savedText, s.longValue("loop.units"));
        TrainingState current = capture();
        try {
            restore(s);
        } catch (RuntimeException e) {
            restore(current); // a part that does not fit leaves no other part restored
            throw e;
        }
        history.clear();
        history.addAll(savedHistory);
        historyText.setLength(0);
        historyText.append(savedText);
        lastGood = s;
        resumeNotes = loaded.skipped();
        return self();
    }

    /** Refuses a state whose configuration or recorded settings differ from this trainer's, naming the first field that differs. */
    private void requireSameIdentity(TrainingState s) {
        Map<String, String> was = new LinkedHashMap<>();
        s.values().forEach((k, v) -> {
            if (k.startsWith("configuration.") || k.startsWith("settings.")) {
                was.put(k, v);
            }
        });
        Set<String> keys = new LinkedHashSet<>(identity().keySet());
        keys.addAll(was.keySet());
        for (String k : keys) {
            if (!Objects.equals(was.get(k), identity().get(k))) {
                boolean configuration = k.startsWith("configuration.");
                throw new IllegalArgumentException("The checkpoint at " + s.source() + " was written with " + (configuration ? "another configuration: "
                        : "other settings: ") + k.substring(k.indexOf('.') + 1) + " was " + was.get(k) + ", now " + identity().get(k)
                        + (configuration ? "." : "; a resumed run must keep every setting of the run it continues."));
            }
        }
    }

    /** A record's fields as text, in declaration order; none for null. */
    private static Map<String, String> fields(Record r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (RecordComponent c : r == null ? new RecordComponent[0] : r.getClass().getRecordComponents()) {
            try {
                c.getAccessor().setAccessible(true);
                m.put(c.getName(), String.valueOf(c.getAccessor().invoke(r)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot read field " + c.getName() + " of " + r.getClass().getName(), e);
            }
        }
        return m;
    }
}
