package org.hypergrad4j.core;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link SecondOrderView} for analytic derivatives: its loss, gradients and curvature products are written by hand (no SameDiff
 * graph), over one weight tensor and one hyperparameter tensor held as live float64 INDArrays. The arithmetic
 * runs on copies in Java {@code double[]} (row-major): these problems are small, and one native call per
 * array in and out costs far less than a native call per elementwise operation. Several views of one bilevel problem share the same two arrays, so moving the point in one
 * moves it in all. The products are exact (analytic), so {@link #isExact()} is true; the tests check them
 * against float64 central differences.
 */
public abstract class ArraySecondOrderView implements SecondOrderView {
    private final String lossName;
    private final String weightName;
    private final String hyperparameterName;
    protected final INDArray weights;
    protected final INDArray hyperparameters;

    protected ArraySecondOrderView(String lossName, String weightName, INDArray weights, String hyperparameterName, INDArray hyperparameters) {
        this.lossName = Objects.requireNonNull(lossName, "lossName");
        this.weightName = Objects.requireNonNull(weightName, "weightName");
        this.hyperparameterName = Objects.requireNonNull(hyperparameterName, "hyperparameterName");
        this.weights = Objects.requireNonNull(weights, "weights");
        this.hyperparameters = Objects.requireNonNull(hyperparameters, "hyperparameters");
        if (weights.dataType() != DataType.DOUBLE || hyperparameters.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("Hand-written views compute in float64, but '" + weightName + "' is "
                    + weights.dataType() + " and '" + hyperparameterName + "' is " + hyperparameters.dataType() + ".");
        }
    }

    @Override
    public final String lossName() {
        return lossName;
    }

    @Override
    public final ParamVector weights() {
        return ParamVector.of(weightName, weights);
    }

    @Override
    public final ParamVector hyperparameters() {
        return ParamVector.of(hyperparameterName, hyperparameters);
    }

    @Override
    public final DataType dataType() {
        return DataType.DOUBLE;
    }

    @Override
    public final boolean isExact() {
        return true;
    }

    @Override
    public double loss(Map<String, INDArray> feed) {
        return lossAndGradient(feed).loss();
    }

    /** {@code v}'s single tensor, after checking that it is shaped like the weights. */
    protected final INDArray weightDirection(ParamVector v) {
        weights().checkCompatible(Objects.requireNonNull(v, "the direction v"));
        return v.get(weightName).castTo(DataType.DOUBLE);
    }

    /** {@code u}'s single tensor, after checking that it is shaped like the hyperparameters. */
    protected final INDArray hyperparameterDirection(ParamVector u) {
        hyperparameters().checkCompatible(Objects.requireNonNull(u, "the direction u"));
        return u.get(hyperparameterName).castTo(DataType.DOUBLE);
    }

    /** A row-major copy of an array's entries. */
    public static double[] flat(INDArray array) {
        INDArray dense = array.isView() || array.ordering() != 'c' ? array.dup('c') : array;
        return dense.castTo(DataType.DOUBLE).data().asDouble();
    }

    /** A fresh float64 array of the given shape holding {@code values} in row-major order. */
    protected static INDArray array(double[] values, long[] shape) {
        return Nd4j.create(values, shape, DataType.DOUBLE);
    }

    protected final ParamVector weightVector(double[] values) {
        return weightVector(array(values, weights.shape()));
    }

    protected final ParamVector hyperparameterVector(double[] values) {
        return hyperparameterVector(array(values, hyperparameters.shape()));
    }

    protected final ParamVector weightVector(INDArray values) {
        return ParamVector.of(weightName, values);
    }

    protected final ParamVector hyperparameterVector(INDArray values) {
        return ParamVector.of(hyperparameterName, values);
    }
}
