package org.hypergrad4j.engine;

/**
 * One op of a compiled graph: computes its outputs from its inputs into preallocated tensors.
 * Output shapes come from {@link NativeOps#outputShapes} (ND4J's own shape functions), asked only when
 * an input shape changes.
 */
interface Kernel {
    /** Writes the op's outputs; {@code out} tensors are allocated with the shapes the op reported. */
    void run(Tensor[] in, Tensor[] out);

    /** Whether the op's single output is a view of its first input's storage (reshape, squeeze, identity). */
    default boolean aliasesInput() {
        return false;
    }

    /** Whether the outputs depend on the inputs' values, not only on their shapes ({@code zerosLike}, {@code shape} do not). */
    default boolean readsInputValues() {
        return true;
    }

    /** A short name for statistics: the Java kernel's kind, or "native:" and the ND4J op. */
    String describe();
}
