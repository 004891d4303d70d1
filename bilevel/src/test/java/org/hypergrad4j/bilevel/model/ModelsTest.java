package org.hypergrad4j.bilevel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hypergrad4j.bilevel.Hpo;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.optim.Sgd;
import org.hypergrad4j.bilevel.problem.BilevelProblem;
import org.hypergrad4j.bilevel.problem.Blobs;
import org.hypergrad4j.data.Dataset;
import org.hypergrad4j.core.ParamVector;
import org.hypergrad4j.hypergrad.HypergradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ModelsTest {

    /**
     * A small CNN problem: weights and per-weight decays are laid out as documented, training lowers the
     * loss, and the hypergradient is finite and nonzero (the CNN's exact products are checked against
     * finite differences in the hypergrad module).
     */
    @Test
    void smallCnnTrainsAndHasAFiniteHypergradient() {
        Dataset train = Blobs.make("train", 24, 2 * 4 * 4, 3, 1.0, 1);
        Dataset val = Blobs.make("val", 12, 2 * 4 * 4, 3, 1.0, 2);
        BilevelProblem p = Hpo.on(train, val).model(new SmallCnn(2, 4, 4, 3, 3, 5)).tune(WeightDecay.perWeight(-3))
                .dataType(DataType.DOUBLE).build();
        assertEquals(List.of("K0", "bK0", "W1", "b1"), p.model().weights());
        assertEquals("{decay_K0=[3, 3, 2, 3], decay_W1=[12, 3]}", p.hyperparameters().shapes());
        var feed = p.fullTrainingFeed();
        double before = p.training().loss(feed);
        Sgd sgd = new Sgd(0.1, 0.9, false);
        for (int i = 0; i < 30; i++) {
            sgd.step(p.weights(), p.training().lossAndGradient(feed).weightGradient());
        }
        assertTrue(p.training().loss(feed) < before);
        var h = new org.hypergrad4j.hypergrad.ImplicitHypergradient(new org.hypergrad4j.solvers.ConjugateGradient(10, 1e-8))
                .compute(p.hypergradientProblem(feed));
        assertTrue(h.hypergradient().isFinite() && h.hypergradient().norm2() > 0);
    }

    /** A user's own graph: logits = x W + b built by hand; the same as the built-in logistic regression. */
    @Test
    void graphModelWrapsAUsersGraph() {
        Dataset train = Blobs.make("train", 30, 3, 2, 1.0, 3);
        Dataset val = Blobs.make("val", 20, 3, 2, 1.0, 4);
        GraphModel custom = new GraphModel(3, 2, List.of("W0", "b0"), List.of("W0"), (sd, x, type, create) -> {
            SDVariable w = create ? sd.var("W0", Nd4j.zeros(type, 3, 2)) : sd.getVariable("W0");
            SDVariable b = create ? sd.var("b0", Nd4j.zeros(type, 1, 2)) : sd.getVariable("b0");
            return x.mmul(w).add(b);
        }, "hand-built logistic regression");
        BilevelProblem mine = Hpo.on(train, val).model(custom).tune(WeightDecay.perWeight(-2)).dataType(DataType.DOUBLE).build();
        BilevelProblem builtIn = Hpo.on(train, val).model(Mlp.logisticRegression(3, 2, 0)).tune(WeightDecay.perWeight(-2))
                .dataType(DataType.DOUBLE).build();
        builtIn.weights().assignInPlace(builtIn.weights().zerosLike());
        ParamVector g1 = mine.training().lossAndGradient(mine.fullTrainingFeed()).weightGradient();
        ParamVector g2 = builtIn.training().lossAndGradient(builtIn.fullTrainingFeed()).weightGradient();
        assertEquals(0.0, HypergradientCheck.relativeError(g1.toDoubleArray(), g2.toDoubleArray()), 1e-12);
        GraphModel forgetful = new GraphModel(3, 2, List.of("W0", "missing"), List.of(), (sd, x, type, create) ->
                x.mmul(sd.var("W0", Nd4j.zeros(type, 3, 2))), "forgets a weight");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Hpo.on(train, val).model(forgetful).tune(WeightDecay.global(-2)).build());
        assertTrue(e.getMessage().contains("'missing'"), e.getMessage());
    }
}
