package org.hypergrad4j.hypergrad;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training feed of each inner step. Must return the same values for the same step every time it is
 * asked, because the reverse pass replays steps backwards (e.g. minibatches chosen by a seeded schedule).
 */
@FunctionalInterface
public interface StepFeeds {
    Map<String, INDArray> feedAt(int step);

    /** The same feed at every step (full-batch training). */
    static StepFeeds constant(Map<String, INDArray> feed) {
        Map<String, INDArray> copy = Map.copyOf(feed);
        return step -> copy;
    }
}
