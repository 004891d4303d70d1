package org.hypergrad4j.core;

import java.util.List;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/** What every view over a SameDiff graph holds: the graph, the loss, and the validated weight and hyperparameter names. */
abstract class GraphBackedView implements SecondOrderView {
    protected final SameDiff sd;
    protected final String loss;
    protected final DataType type;
    protected final List<String> weightNames;
    protected final List<String> hyperNames;

    /** Validates the names (see {@link ViewSupport#validate}). */
    GraphBackedView(SameDiff sd, String loss, List<String> weights, List<String> hypers) {
        this.sd = sd;
        this.loss = loss;
        this.type = ViewSupport.validate(sd, loss, weights, hypers);
        this.weightNames = List.copyOf(weights);
        this.hyperNames = List.copyOf(hypers);
    }

    @Override
    public String lossName() {
        return loss;
    }

    @Override
    public ParamVector weights() {
        return ViewSupport.liveArrays(sd, weightNames);
    }

    @Override
    public ParamVector hyperparameters() {
        return ViewSupport.liveArrays(sd, hyperNames);
    }

    @Override
    public DataType dataType() {
        return type;
    }
}
