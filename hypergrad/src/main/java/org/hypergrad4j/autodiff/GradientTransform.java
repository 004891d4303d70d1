package org.hypergrad4j.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hypergrad4j.autodiff.internal.Reductions;
import org.hypergrad4j.autodiff.internal.ShapeInference;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Appends to a SameDiff graph the gradient of one of its scalars, written with ordinary forward ops,
 * so that the gradient can be differentiated again (by this transform or by SameDiff).
 *
 * <p>Reverse accumulation: the scalar's cotangent is 1; ops on a path from a requested variable to the
 * scalar are visited in reverse topological order, and each op's {@link VjpRule} maps its output
 * cotangents to input cotangents. A variable used by several ops sums its cotangents. Broadcasting
 * is undone by summing over broadcast axes. Every op on the path is checked against the registry
 * before the first node is appended: a failure leaves the graph unchanged.
 *
 * <p>Invariant: for the returned {@link GradientGraph} {@code G}, evaluating {@code G.gradient(x)}
 * gives {@code ∂S/∂x} at the current variable values and fed placeholders.
 */
public final class GradientTransform {
    private final VjpRegistry registry;

    /** A transform using {@code registry}'s rules (the registry is read, not copied). */
    public GradientTransform(VjpRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** A transform with the built-in rules. */
    public static GradientTransform withBuiltinRules() {
        return new GradientTransform(VjpRegistry.builtin());
    }

    /** The rules this transform uses. */
    public VjpRegistry registry() {
        return registry;
    }

    /** {@link #append(SDVariable, Collection, MissingPath)} with {@link MissingPath#FAIL}. */
    public GradientGraph append(SDVariable scalar, Collection<SDVariable> wrt) {
        return append(scalar, wrt, MissingPath.FAIL);
    }

    /**
     * Appends {@code ∂scalar/∂x} for every {@code x} in {@code wrt} to {@code scalar}'s graph.
     *
     * @param scalar  a floating-point variable holding one element (shape {@code []} or all ones)
     * @param wrt     floating-point variables of the same graph (any type: variables, placeholders,
     *                constants or op outputs)
     * @param missing what to do with a requested variable that the scalar does not depend on
     * @throws UnsupportedOpException if an op on the path has no rule, or an unsupported configuration
     * @throws NoGradientPathException with {@link MissingPath#FAIL}, if the scalar does not depend on one of {@code wrt}
     * @throws IllegalArgumentException if the scalar holds more than one element, or a variable is not floating point
     */
    public GradientGraph append(SDVariable scalar, Collection<SDVariable> wrt, MissingPath missing) {
        Objects.requireNonNull(scalar, "scalar");
        Objects.requireNonNull(wrt, "wrt");
        SameDiff sd = scalar.getSameDiff();
        String scalarName = scalar.name();
        if (!scalar.dataType().isFPType()) {
            throw new IllegalArgumentException("Scalar '" + scalarName + "' has type " + scalar.dataType()
                    + "; only floating-point scalars can be differentiated.");
        }
        List<String> requested = new ArrayList<>();
        for (SDVariable v : wrt) {
            if (v.getSameDiff() != sd) {
                throw new IllegalArgumentException("Variable '" + v.name() + "' belongs to another graph than scalar '" + scalarName + "'.");
            }
            if (!v.dataType().isFPType()) {
                throw new IllegalArgumentException("Variable '" + v.name() + "' has type " + v.dataType()
                        + "; gradients exist only for floating-point variables.");
            }
            if (!requested.contains(v.name())) {
                requested.add(v.name());
            }
        }

        // Ancestors of the scalar, and descendants of the requested variables.
        Set<String> ancestors = ancestors(sd, scalarName);
        Set<String> descendants = descendants(sd, requested);
        Set<String> onPath = new HashSet<>(ancestors);
        onPath.retainAll(descendants);

        Map<String, SDVariable> present = new LinkedHashMap<>();
        List<String> withPath = new ArrayList<>();
        for (String r : requested) {
            if (onPath.contains(r)) {
                withPath.add(r);
            } else if (missing == MissingPath.FAIL) {
                throw new NoGradientPathException(scalarName, r);
            }
        }
        if (withPath.isEmpty()) {
            return new GradientGraph(scalarName, present, 0);
        }

        // Ops to visit, in graph (creation) order, which is topological for graphs built through the API.
        List<SameDiffOp> pathOps = new ArrayList<>();
        Set<String> shapeNames = new LinkedHashSet<>();
        shapeNames.add(scalarName);
        for (SameDiffOp op : sd.getOps().values()) {
            List<String> outs = op.getOutputsOfOp();
            List<String> ins = op.getInputsToOp();
            if (outs == null || ins == null) {
                continue;
            }
            boolean outOnPath = outs.stream().anyMatch(onPath::contains);
            boolean inOnPath = ins.stream().anyMatch(onPath::contains);
            if (outOnPath && inOnPath) {
                pathOps.add(op);
                shapeNames.addAll(ins);
                shapeNames.addAll(outs);
            }
        }
        for (SameDiffOp op : pathOps) {
            DifferentialFunction fn = op.getOp();
            String out = op.getOutputsOfOp().get(0);
            VjpRule rule = registry.find(fn).orElseThrow(() -> new UnsupportedOpException(fn.opName(),
                    fn.getClass().getName(), out, "no vector-Jacobian rule is registered for it."));
            String reason = rule.unsupportedReason(fn);
            if (reason != null) {
                throw new UnsupportedOpException(fn.opName(), fn.getClass().getName(), out, reason);
            }
        }

        Map<String, long[]> shapes = ShapeInference.infer(sd, shapeNames);
        long[] scalarShape = shapes.get(scalarName);
        if (Arrays.stream(scalarShape).anyMatch(d -> d != 1)) {
            throw new IllegalArgumentException("Scalar '" + scalarName + "' has shape " + Arrays.toString(scalarShape)
                    + "; the gradient transform differentiates a single-element variable. Reduce it first (sum or mean).");
        }

        int opsBefore = sd.getOps().size();
        Map<String, SDVariable> cotangents = new HashMap<>();
        cotangents.put(scalarName, sd.constant(Nd4j.ones(scalar.dataType(), scalarShape)));
        Context ctx = new Context(sd, shapes);
        for (int k = pathOps.size() - 1; k >= 0; k--) {
            SameDiffOp op = pathOps.get(k);
            DifferentialFunction fn = op.getOp();
            List<String> outs = op.getOutputsOfOp();
            SDVariable[] outCot = new SDVariable[outs.size()];
            boolean any = false;
            for (int i = 0; i < outs.size(); i++) {
                outCot[i] = cotangents.get(outs.get(i));
                any |= outCot[i] != null;
            }
            if (!any) {
                continue;
            }
            List<String> ins = op.getInputsToOp();
            SDVariable[] inputs = new SDVariable[ins.size()];
            boolean[] needs = new boolean[ins.size()];
            for (int i = 0; i < ins.size(); i++) {
                inputs[i] = sd.getVariable(ins.get(i));
                needs[i] = onPath.contains(ins.get(i)) && inputs[i].dataType().isFPType();
            }
            SDVariable[] outputs = new SDVariable[outs.size()];
            for (int i = 0; i < outs.size(); i++) {
                outputs[i] = sd.getVariable(outs.get(i));
            }
            ctx.needs = needs;
            SDVariable[] inCot = registry.find(fn).orElseThrow().apply(ctx, fn, inputs, outputs, outCot);
            if (inCot == null || inCot.length != inputs.length) {
                throw new GradientTransformException("The rule for op '" + fn.opName() + "' returned "
                        + (inCot == null ? "null" : inCot.length + " cotangents") + " for " + inputs.length + " inputs.");
            }
            for (int i = 0; i < inputs.length; i++) {
                if (inCot[i] == null || !needs[i]) {
                    continue;
                }
                SDVariable prev = cotangents.get(ins.get(i));
                cotangents.put(ins.get(i), prev == null ? inCot[i] : prev.add(inCot[i]));
            }
        }
        for (String r : withPath) {
            SDVariable g = cotangents.get(r);
            if (g == null) {
                // Only possible when every path passes through ops with zero derivative (e.g. step masks).
                g = sd.zerosLike(sd.getVariable(r));
            }
            present.put(r, sd.identity(uniqueName(sd, "grad_" + scalarName + "/" + r), g));
        }
        return new GradientGraph(scalarName, present, sd.getOps().size() - opsBefore);
    }

    private static String uniqueName(SameDiff sd, String base) {
        String name = base;
        for (int i = 1; sd.hasVariable(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private static Set<String> ancestors(SameDiff sd, String start) {
        Set<String> seen = new HashSet<>();
        Deque<String> stack = new ArrayDeque<>();
        stack.push(start);
        while (!stack.isEmpty()) {
            String v = stack.pop();
            if (!seen.add(v)) {
                continue;
            }
            Variable var = sd.getVariables().get(v);
            if (var != null && var.getOutputOfOp() != null) {
                SameDiffOp op = sd.getOps().get(var.getOutputOfOp());
                if (op.getInputsToOp() != null) {
                    op.getInputsToOp().forEach(stack::push);
                }
            }
        }
        return seen;
    }

    private static Set<String> descendants(SameDiff sd, Collection<String> starts) {
        Set<String> seen = new HashSet<>();
        Deque<String> stack = new ArrayDeque<>(starts);
        while (!stack.isEmpty()) {
            String v = stack.pop();
            if (!seen.add(v)) {
                continue;
            }
            Variable var = sd.getVariables().get(v);
            if (var != null && var.getInputsForOp() != null) {
                for (String opName : var.getInputsForOp()) {
                    SameDiffOp op = sd.getOps().get(opName);
                    if (op != null && op.getOutputsOfOp() != null) {
                        op.getOutputsOfOp().forEach(stack::push);
                    }
                }
            }
        }
        return seen;
    }

    /** Shape knowledge and broadcasting helpers for the rules. */
    private static final class Context implements VjpContext {
        private final SameDiff sd;
        private final Map<String, long[]> shapes;
        private boolean[] needs;

        Context(SameDiff sd, Map<String, long[]> shapes) {
            this.sd = sd;
            this.shapes = shapes;
        }

        @Override
        public SameDiff sd() {
            return sd;
        }

        @Override
        public long[] shape(SDVariable variable) {
            long[] s = shapes.get(variable.name());
            if (s == null) {
                throw new IllegalStateException("No inferred shape for '" + variable.name()
                        + "': rules may ask shapes only of the op's own inputs and outputs.");
            }
            return s.clone();
        }

        @Override
        public boolean needsGradient(int inputIndex) {
            return needs[inputIndex];
        }

        @Override
        public SDVariable unbroadcast(SDVariable cotangent, long[] outputShape, SDVariable target) {
            long[] ts = shape(target);
            int lead = outputShape.length - ts.length;
            List<Integer> axes = new ArrayList<>();
            for (int i = 0; i < outputShape.length; i++) {
                if (outputShape[i] != 1 && (i < lead || ts[i - lead] == 1)) {
                    axes.add(i);
                }
            }
            if (axes.isEmpty()) {
                return lead == 0 ? cotangent : reshapeLike(cotangent, target);
            }
            SDVariable summed = Reductions.sumKeepDims(sd, cotangent, outputShape,
                    axes.stream().mapToInt(Integer::intValue).toArray());
            return lead == 0 ? summed : reshapeLike(summed, target);
        }

        @Override
        public SDVariable broadcastLike(SDVariable cotangent, SDVariable target) {
            return sd.zerosLike(target).add(cotangent);
        }

        @Override
        public SDVariable reshapeLike(SDVariable value, SDVariable target) {
            long[] ts = shape(target);
            long dynamic = Arrays.stream(ts).filter(d -> d < 0).count();
            if (dynamic <= 1) {
                return sd.reshape(value, ts);
            }
            return sd.reshape(value, sd.shape(target));
        }
    }
}
