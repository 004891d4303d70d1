package org.hypergrad4j.bilevel.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.hypergrad4j.core.ParamVector;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class OptimizerTest {
    private static ParamVector vec(double... v) {
        return ParamVector.of("p", Nd4j.createFromArray(v));
    }

    @Test
    void sgdWithMomentumFollowsItsFormula() {
        ParamVector p = vec(1.0, -2.0);
        Sgd sgd = new Sgd(0.1, 0.5, false);
        sgd.step(p, vec(1.0, 2.0));   // m = g = (1, 2); p = (0.9, -2.2)
        sgd.step(p, vec(1.0, 2.0));   // m = 0.5 m + g = (1.5, 3); p = (0.75, -2.5)
        assertEquals(0.75, p.get("p").getDouble(0), 1e-15);
        assertEquals(-2.5, p.get("p").getDouble(1), 1e-15);
        Sgd nesterov = new Sgd(0.1, 0.5, true);
        ParamVector q = vec(1.0);
        nesterov.step(q, vec(2.0));   // m = 2; q = 1 − 0.1 (2 + 0.5·2) = 0.7
        assertEquals(0.7, q.get("p").getDouble(0), 1e-15);
        assertEquals(1, nesterov.steps());
    }

    @Test
    void adamFirstStepMovesEachCoordinateByTheLearningRate() {
        // With bias correction, the first Adam step is −η · g/(|g| + ε') ≈ −η sign(g).
        ParamVector p = vec(0.0, 0.0);
        Adam adam = new Adam(0.01);
        adam.step(p, vec(3.0, -0.001));
        assertEquals(-0.01, p.get("p").getDouble(0), 1e-9);
        assertEquals(0.01, p.get("p").getDouble(1), 1e-7);
        adam.step(p, vec(3.0, -0.001));
        assertEquals(-0.02, p.get("p").getDouble(0), 1e-9);
    }

    @Test
    void adamMinimisesAQuadratic() {
        ParamVector p = vec(5.0, -3.0);
        Adam adam = new Adam(0.1);
        for (int i = 0; i < 2000; i++) {
            adam.step(p, p.scale(2.0));
        }
        assertEquals(0.0, p.norm2(), 1e-3);
        adam.reset();
        assertEquals(0, adam.steps());
    }

    @Test
    void rmsPropFollowsItsFormula() {
        ParamVector p = vec(1.0);
        RmsProp rms = new RmsProp(0.1, 0.9, 1e-8);
        rms.step(p, vec(2.0));   // s = 0.1·4 = 0.4; p = 1 − 0.1·2/√0.4
        assertEquals(1 - 0.2 / (Math.sqrt(0.4) + 1e-8), p.get("p").getDouble(0), 1e-12);
        rms.step(p, vec(1.0));   // s = 0.9·0.4 + 0.1·1 = 0.46
        assertEquals(1 - 0.2 / (Math.sqrt(0.4) + 1e-8) - 0.1 / (Math.sqrt(0.46) + 1e-8), p.get("p").getDouble(0), 1e-12);
        RmsProp copy = new RmsProp(0.1, 0.9, 1e-8);
        copy.restore(rms.state(), rms.steps());
        ParamVector a = vec(0.5);
        ParamVector b = vec(0.5);
        rms.step(a, vec(3.0));
        copy.step(b, vec(3.0));
        assertEquals(a.get("p").getDouble(0), b.get("p").getDouble(0), 0.0, "restored state continues identically");
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(-1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1, 1.0, false));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 1.0, 0.9, 1e-8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1).step(vec(1, 2), vec(1)));
        assertEquals(true, e.getMessage().contains("[2]") && e.getMessage().contains("[1]"), e.getMessage());
    }
}
