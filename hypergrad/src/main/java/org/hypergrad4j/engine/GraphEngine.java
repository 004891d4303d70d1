package org.hypergrad4j.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Executes the straight-line part of a SameDiff graph without SameDiff's interpreter: the ops that
 * requested outputs depend on are compiled once into a plan of kernels (Java loops over heap arrays,
 * row-major BLAS for matrix products, ND4J's own op for anything else) writing into tensors that are
 * allocated once per input shape and reused across calls.
 *
 * <p>Values are cached across calls: every leaf (variable, constant, fed placeholder) is compared with
 * the values of the previous call (chunk by chunk, copying only what differs), and an op runs only if a
 * leaf it depends on changed since it last ran. So {@code exp(λ)} is computed once per hyperparameter update, and the forward pass and
 * first-order gradient once per point and minibatch, however many Hessian-vector products follow; no
 * caller has to say when anything changed. The comparison costs one read of every leaf per call.
 *
 * <p>Invariant: {@link #output} returns the values SameDiff's {@code output()} would return for the same
 * graph, variable arrays and feed, to round-off (float64: ≲ 1e-14 relative; float32 tanh and sigmoid
 * use rational approximations accurate to a few ulps). Not safe for concurrent use.
 */
public final class GraphEngine {
    private final SameDiff sd;
    private final Map<String, Integer> slotOf = new HashMap<>();
    private final List<String> slotNames = new ArrayList<>();
    private final List<Tensor> values = new ArrayList<>();
    private final Map<String, Leaf> leaves = new LinkedHashMap<>();
    private final Map<String, Step> steps = new HashMap<>();
    private final Map<List<String>, Plan> plans = new HashMap<>();
    private long clock;
    private long opsRun;
    private long opsSkipped;
    /** With {@code -Dhypergrad4j.engine.profile=true}, nanoseconds spent per kernel kind (printed by {@link #profile()}). */
    private static final boolean PROFILE = Boolean.getBoolean("hypergrad4j.engine.profile");
    private final Map<String, long[]> profile = new java.util.TreeMap<>();
    private static final boolean PROFILE_OPS = Boolean.getBoolean("hypergrad4j.engine.profile.ops");

    private GraphEngine(SameDiff sd) {
        this.sd = Objects.requireNonNull(sd, "sd");
    }

    /** An engine over {@code sd}; plans are compiled lazily, per set of requested outputs. */
    public static GraphEngine of(SameDiff sd) {
        return new GraphEngine(sd);
    }

    /** The graph this engine executes. */
    public SameDiff graph() {
        return sd;
    }

    /**
     * The values of {@code outputs} for the graph's current variable arrays and the fed placeholders,
     * as new arrays owned by the caller.
     *
     * @throws IllegalArgumentException if an output does not exist, or a placeholder that an output
     *         needs is not fed or is fed with a shape its declaration does not allow
     */
    public Map<String, INDArray> output(Map<String, INDArray> feed, Collection<String> outputs) {
        return outputInto(feed, outputs, Map.of());
    }

    /**
     * As {@link #output}, but an output named in {@code targets} is written into that array (same length,
     * any shape and layout; cast to its type) and returned, instead of into a new one: solvers that apply
     * an operator many times reuse one result vector rather than allocating off-heap memory per product.
     */
    public Map<String, INDArray> outputInto(Map<String, INDArray> feed, Collection<String> outputs, Map<String, INDArray> targets) {
        Plan plan = plans.computeIfAbsent(List.copyOf(outputs), this::compile);
        Map<String, INDArray> f = feed == null ? Map.of() : feed;
        clock++;
        long t0 = PROFILE ? System.nanoTime() : 0;
        for (Leaf leaf : plan.leaves) {
            long l0 = PROFILE_OPS ? System.nanoTime() : 0;
            leaf.refresh(f, clock);
            if (PROFILE_OPS) {
                profile.computeIfAbsent("(leaf " + leaf.name + ")", k -> new long[2])[0] += System.nanoTime() - l0;
            }
        }
        long t1 = PROFILE ? System.nanoTime() : 0;
        for (int i = 0; i < plan.steps.length; i++) {
            execute(plan.steps[i], plan.needsValues[i]);
        }
        long t2 = PROFILE ? System.nanoTime() : 0;
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < plan.outputs.length; i++) {
            Tensor value = values.get(plan.outputs[i]);
            INDArray target = targets.get(plan.outputNames[i]);
            if (target != null) {
                value.copyInto(target, plan.outputNames[i]);
                out.put(plan.outputNames[i], target);
            } else {
                out.put(plan.outputNames[i], value.toINDArray());
            }
        }
        if (PROFILE) {
            long t3 = System.nanoTime();
            profile.computeIfAbsent("(load leaves)", k -> new long[2])[0] += t1 - t0;
            profile.computeIfAbsent("(all steps)", k -> new long[2])[0] += t2 - t1;
            profile.computeIfAbsent("(copy outputs)", k -> new long[2])[0] += t3 - t2;
        }
        return out;
    }

    /** Time per kernel and output shape when profiling is on (see {@code hypergrad4j.engine.profile}), slowest first. */
    public String profile() {
        StringBuilder b = new StringBuilder();
        profile.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(PROFILE_OPS ? 80 : 25)
                .forEach(e -> b.append(String.format("%10.2f ms %7d calls  %s%n", e.getValue()[0] / 1e6, e.getValue()[1], e.getKey())));
        return b.toString();
    }

    /**
     * Runs {@code body} with the graph's point held fixed: leaves other than {@code varying} are assumed
     * unchanged while they are the same array objects as at their last load, so their values are not
     * compared again. For a solver's loop of products at one point and one feed, where only the direction
     * changes; the caller guarantees that nothing writes the other leaves' arrays meanwhile.
     */
    public <T> T withFixedPoint(Set<String> varying, java.util.function.Supplier<T> body) {
        Set<String> saved = fixedExcept;
        long savedScope = fixedScope;
        fixedExcept = Set.copyOf(varying);
        // A new scope: every leaf is compared once more on its first use in it (it may have changed before).
        fixedScope = ++scopeCounter;
        try {
            return body.get();
        } finally {
            fixedExcept = saved;
            fixedScope = savedScope;
        }
    }

    /** While not {@code null}: the leaves whose values may change (see {@link #withFixedPoint}). */
    private Set<String> fixedExcept;
    /** The current fixed-point scope (0 outside any), and the last one handed out. */
    private long fixedScope;
    private long scopeCounter;

    /** Ops executed and ops whose cached values were reused, since the engine was made. */
    public Statistics statistics() {
        Map<String, Integer> kernels = new HashMap<>();
        for (Step s : steps.values()) {
            kernels.merge(s.kernel.describe(), 1, Integer::sum);
        }
        return new Statistics(opsRun, opsSkipped, steps.size(), kernels);
    }

    /**
     * Counters of the engine's work.
     *
     * @param opsRun     op executions
     * @param opsReused  op executions avoided because no input had changed
     * @param opsCompiled distinct ops in any plan
     * @param kernels    how many compiled ops use each kernel ({@code native:…} are ND4J's)
     */
    public record Statistics(long opsRun, long opsReused, int opsCompiled, Map<String, Integer> kernels) {
    }

    /**
     * Brings {@code step}'s outputs up to date: their shapes always, their values if {@code values} (a step
     * whose outputs the plan needs only for their shapes — the input of a {@code zerosLike} — is not run).
     */
    private void execute(Step step, boolean values) {
        Tensor[] in = new Tensor[step.inputs.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = this.values.get(step.inputs[i]);
        }
        if (!step.sameInputShapes(in)) {
            long[][] shapes = NativeOps.outputShapes(step.fn, in, step.outputTypes);
            step.rememberInputShapes(in);
            for (int i = 0; i < step.outputs.length; i++) {
                if (!step.kernel.aliasesInput()) {
                    this.values.set(step.outputs[i], Tensor.allocate(step.outputTypes[i], shapes[i]));
                }
            }
            step.outputShapes = shapes;
            step.computedAt = -1;
        }
        if (step.kernel.aliasesInput()) {
            // A view is rebound every time: its input may have been reallocated or rewritten.
            Tensor view = in[0].view(step.outputShapes[0]);
            view.version = in[0].version;
            this.values.set(step.outputs[0], view);
        }
        if (!values) {
            return;
        }
        long need = -1;
        for (int leaf : step.leafIds) {
            need = Math.max(need, leafList.get(leaf).changedAt);
        }
        for (int leaf : step.shapeLeafIds) {
            need = Math.max(need, leafList.get(leaf).shapeChangedAt);
        }
        if (step.computedAt >= need && step.computedAt >= 0) {
            opsSkipped++;
            return;
        }
        Tensor[] out = new Tensor[step.outputs.length];
        if (step.kernel.aliasesInput()) {
            out[0] = this.values.get(step.outputs[0]);
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = this.values.get(step.outputs[i]);
            }
            long t0 = PROFILE ? System.nanoTime() : 0;
            step.kernel.run(in, out);
            if (PROFILE) {
                String key = step.kernel.describe() + " " + java.util.Arrays.toString(out[0].shape)
                        + (PROFILE_OPS ? " " + step.fn.getOwnName() + " <- " + java.util.Arrays.toString(step.fn.argNames()) : "");
                long[] p = profile.computeIfAbsent(key, k -> new long[2]);
                p[0] += System.nanoTime() - t0;
                p[1]++;
            }
        }
        for (Tensor t : out) {
            t.version = clock;
        }
        step.computedAt = clock;
        opsRun++;
    }

    private final List<Leaf> leafList = new ArrayList<>();

    private int slot(String name) {
        Integer s = slotOf.get(name);
        if (s == null) {
            s = values.size();
            slotOf.put(name, s);
            slotNames.add(name);
            values.add(null);
        }
        return s;
    }

    /** Orders the ops that {@code outputs} depend on (iterative post-order), compiling new ones. */
    private Plan compile(List<String> outputs) {
        List<Step> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<Leaf> planLeaves = new java.util.LinkedHashSet<>();
        Map<String, Set<Integer>> leafSets = new HashMap<>();
        // Leaves a value depends on only through shapes (the input of zerosLike): a change of their values
        // leaves it alone, a change of their shapes does not.
        Map<String, Set<Integer>> shapeLeafSets = new HashMap<>();
        for (String o : outputs) {
            if (!sd.hasVariable(o)) {
                throw new IllegalArgumentException("The graph has no variable '" + o + "' to compute.");
            }
        }
        Deque<String[]> stack = new ArrayDeque<>();
        for (String o : outputs) {
            stack.push(new String[] {o, "enter"});
        }
        while (!stack.isEmpty()) {
            String[] frame = stack.pop();
            String name = frame[0];
            if (done.contains(name) && frame[1].equals("enter")) {
                continue;
            }
            Variable var = sd.getVariables().get(name);
            if (var == null) {
                throw new IllegalArgumentException("The graph has no variable '" + name + "'.");
            }
            String opName = var.getOutputOfOp();
            if (opName == null) {
                Leaf leaf = leafFor(name);
                planLeaves.add(leaf);
                leafSets.put(name, Set.of(leaf.id));
                shapeLeafSets.put(name, Set.of());
                done.add(name);
                continue;
            }
            SameDiffOp op = sd.getOps().get(opName);
            List<String> ins = op.getInputsToOp() == null ? List.of() : op.getInputsToOp();
            if (frame[1].equals("enter")) {
                stack.push(new String[] {name, "exit"});
                for (String in : ins) {
                    if (!done.contains(in)) {
                        stack.push(new String[] {in, "enter"});
                    }
                }
                continue;
            }
            if (done.contains(name)) {
                continue;
            }
            Step step = steps.computeIfAbsent(opName, k -> newStep(op));
            Set<Integer> ls = new TreeSet<>();
            Set<Integer> shapeLs = new TreeSet<>();
            for (String in : ins) {
                if (step.kernel.readsInputValues()) {
                    ls.addAll(leafSets.get(in));
                } else {
                    shapeLs.addAll(leafSets.get(in));
                }
                shapeLs.addAll(shapeLeafSets.get(in));
            }
            shapeLs.removeAll(ls);
            step.leafIds = ls.stream().mapToInt(Integer::intValue).toArray();
            step.shapeLeafIds = shapeLs.stream().mapToInt(Integer::intValue).toArray();
            for (String out : op.getOutputsOfOp()) {
                done.add(out);
                leafSets.put(out, ls);
                shapeLeafSets.put(out, shapeLs);
            }
            order.add(step);
        }
        int[] outSlots = outputs.stream().mapToInt(this::slot).toArray();
        // Which steps' values are needed: walking back from the outputs, through inputs read by value.
        // Integer inputs may carry shapes that shape functions read, so they are always computed.
        Set<Integer> valueNeeded = new HashSet<>();
        for (int o : outSlots) {
            valueNeeded.add(o);
        }
        boolean[] needsValues = new boolean[order.size()];
        for (int k = order.size() - 1; k >= 0; k--) {
            Step st = order.get(k);
            for (int j = 0; j < st.outputs.length; j++) {
                needsValues[k] |= valueNeeded.contains(st.outputs[j]) || !st.outputTypes[j].isFPType();
            }
            for (int i = 0; i < st.inputs.length; i++) {
                boolean integer = !isFloatingSlot(st.inputs[i]);
                if (integer || needsValues[k] && (st.kernel.readsInputValues() || st.kernel.aliasesInput())) {
                    valueNeeded.add(st.inputs[i]);
                }
            }
        }
        return new Plan(order.toArray(new Step[0]), needsValues, planLeaves.toArray(new Leaf[0]), outSlots, outputs.toArray(new String[0]));
    }

    private Step newStep(SameDiffOp op) {
        DifferentialFunction fn = op.getOp();
        List<String> ins = op.getInputsToOp() == null ? List.of() : op.getInputsToOp();
        List<String> outs = op.getOutputsOfOp();
        DataType[] types = new DataType[outs.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = sd.getVariable(outs.get(i)).dataType();
            if (!Tensor.supported(types[i])) {
                throw new IllegalArgumentException("Op '" + op.getName() + "' outputs '" + outs.get(i) + "' of type " + types[i]
                        + "; the graph engine computes in FLOAT, DOUBLE and integer types.");
            }
        }
        Kernel kernel = Kernels.forOp(fn, ins.size());
        return new Step(fn, kernel, ins.stream().mapToInt(this::slot).toArray(), outs.stream().mapToInt(this::slot).toArray(), types);
    }

    private Leaf leafFor(String name) {
        Leaf leaf = leaves.get(name);
        if (leaf == null) {
            SDVariable v = sd.getVariable(name);
            VariableType kind = v.getVariableType();
            if (kind != VariableType.VARIABLE && kind != VariableType.CONSTANT && kind != VariableType.PLACEHOLDER) {
                throw new IllegalArgumentException("Variable '" + name + "' (" + kind + ") is produced by no op and holds no array.");
            }
            if (!Tensor.supported(v.dataType())) {
                throw new IllegalArgumentException("Variable '" + name + "' has type " + v.dataType()
                        + "; the graph engine computes in FLOAT, DOUBLE and integer types.");
            }
            leaf = new Leaf(leafList.size(), name, slot(name), kind, v.dataType(),
                    kind == VariableType.PLACEHOLDER ? v.placeholderShape() : null);
            leaves.put(name, leaf);
            leafList.add(leaf);
        }
        return leaf;
    }

    private final class Leaf {
        final int id;
        final String name;
        final int slot;
        final VariableType kind;
        final DataType type;
        final long[] declaredShape;
        long changedAt = -1;
        long shapeChangedAt = -1;
        /** The array loaded last (identity only, for {@link #withFixedPoint}). */
        INDArray lastArray;
        /** The fixed-point scope in which the leaf was last compared (0: outside any). */
        long verifiedScope;

        Leaf(int id, String name, int slot, VariableType kind, DataType type, long[] declaredShape) {
            this.id = id;
            this.name = name;
            this.slot = slot;
            this.kind = kind;
            this.type = type;
            this.declaredShape = declaredShape;
        }

        void refresh(Map<String, INDArray> feed, long now) {
            INDArray arr;
            if (kind == VariableType.PLACEHOLDER) {
                arr = feed.get(name);
                if (arr == null) {
                    throw new IllegalArgumentException("Placeholder '" + name + "' is needed but not fed; fed are " + new TreeSet<>(feed.keySet()) + ".");
                }
                checkShape(arr.shape());
            } else {
                arr = sd.getVariable(name).getArr();
                if (arr == null) {
                    throw new IllegalStateException("Variable '" + name + "' holds no array.");
                }
            }
            Tensor cur = values.get(slot);
            if (fixedExcept != null && !fixedExcept.contains(name) && cur != null && arr == lastArray && verifiedScope == fixedScope) {
                return;
            }
            lastArray = arr;
            verifiedScope = fixedScope;
            long[] shape = arr.shape();
            if (cur == null || !Arrays.equals(cur.shape, shape)) {
                Tensor t = Tensor.allocate(type, shape);
                t.load(arr);
                t.version = now;
                values.set(slot, t);
                changedAt = now;
                shapeChangedAt = now;
                t.source = inPlaceReadable(arr);
                return;
            }
            if (cur.loadIfChanged(arr)) {
                cur.version = now;
                changedAt = now;
            }
            cur.source = inPlaceReadable(arr);
        }

        private INDArray inPlaceReadable(INDArray arr) {
            boolean plain = arr.dataType() == type && (type == DataType.FLOAT || type == DataType.DOUBLE) && !arr.isView()
                    && arr.ordering() == 'c' && arr.offset() == 0 && arr.data().length() == arr.length();
            return plain ? arr : null;
        }

        private void checkShape(long[] shape) {
            if (declaredShape == null) {
                return;
            }
            boolean ok = declaredShape.length == shape.length;
            for (int i = 0; ok && i < shape.length; i++) {
                ok = declaredShape[i] < 0 || declaredShape[i] == shape[i];
            }
            if (!ok) {
                throw new IllegalArgumentException("Placeholder '" + name + "' is declared with shape " + Arrays.toString(declaredShape)
                        + " (-1: any size) but was fed an array of shape " + Arrays.toString(shape) + ".");
            }
        }
    }

    private static final class Step {
        final DifferentialFunction fn;
        final Kernel kernel;
        final int[] inputs;
        final int[] outputs;
        final DataType[] outputTypes;
        int[] leafIds = new int[0];
        int[] shapeLeafIds = new int[0];
        long computedAt = -1;
        long[][] inputShapes;
        long[][] intInputValues;
        long[][] outputShapes;

        Step(DifferentialFunction fn, Kernel kernel, int[] inputs, int[] outputs, DataType[] outputTypes) {
            this.fn = fn;
            this.kernel = kernel;
            this.inputs = inputs;
            this.outputs = outputs;
            this.outputTypes = outputTypes;
        }

        /** Same shapes, and same values of integer inputs (which may carry shapes), as last time. */
        boolean sameInputShapes(Tensor[] in) {
            if (inputShapes == null || outputShapes == null) {
                return false;
            }
            for (int i = 0; i < in.length; i++) {
                if (!Arrays.equals(inputShapes[i], in[i].shape)) {
                    return false;
                }
                if (in[i].l != null && !Arrays.equals(intInputValues[i], in[i].l)) {
                    return false;
                }
            }
            return true;
        }

        void rememberInputShapes(Tensor[] in) {
            inputShapes = new long[in.length][];
            intInputValues = new long[in.length][];
            for (int i = 0; i < in.length; i++) {
                inputShapes[i] = in[i].shape.clone();
                intInputValues[i] = in[i].l == null ? null : in[i].l.clone();
            }
        }
    }

    private boolean isFloatingSlot(int slot) {
        return sd.getVariable(slotNames.get(slot)).dataType().isFPType();
    }

    private record Plan(Step[] steps, boolean[] needsValues, Leaf[] leaves, int[] outputs, String[] outputNames) {
    }
}
