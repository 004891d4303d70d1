package org.hypergrad4j.repro.hypernets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hypergrad4j.data.Split;
import org.hypergrad4j.hypernets.hypernet.HyperparameterRange;
import org.junit.jupiter.api.Test;

/** The diagnosis is a function of its seed, its probes are where the settings say, and bad settings are refused in one line. */
class LocalHypernetDiagnosisTest {
    private static final HyperparameterRange RANGE = new HyperparameterRange(-10, -4);

    @Test
    void sameSeedGivesTheSameProbesAndTheZeroStartHasNoHypergradient() {
        Split parts = HypernetDigitsRuns.digits(21);
        ExactPerWeightHypergradient exact = new ExactPerWeightHypergradient(parts.train(), parts.validation(), 1e-6, 2000, 1e-8);
        LocalHypernetDiagnosis.HypernetSettings s = new LocalHypernetDiagnosis.HypernetSettings(10, 10, 10, 3e-4, 0.01, 0.5, 100, 7, false);
        List<LocalHypernetDiagnosis.Probe> a = LocalHypernetDiagnosis.hypernet(parts, exact, RANGE, -7.5, s).probes();
        List<LocalHypernetDiagnosis.Probe> b = LocalHypernetDiagnosis.hypernet(parts, exact, RANGE, -7.5, s).probes();
        assertEquals(a, b, "same seed, same probes");
        // Warm-up probes at 0 and 10, joint probes at 0 and 10; λ̂ moves only in the joint phase.
        assertEquals(List.of(0, 10, 0, 10), a.stream().map(LocalHypernetDiagnosis.Probe::phaseStep).toList());
        assertEquals(0.0, a.get(1).lambdaSpread(), "λ̂ does not move during the warm-up");
        assertTrue(a.get(3).lambdaSpread() > 0, "λ̂ moves in the joint steps");
        assertTrue(a.stream().allMatch(p -> Math.abs(p.cosine()) <= 1 && p.normRatio() > 0 && p.exactConverged()), a.toString());

        LocalHypernetDiagnosis.HypernetSettings zero = new LocalHypernetDiagnosis.HypernetSettings(10, 0, 10, 3e-4, 0.01, 0.5, 100, 7, true);
        LocalHypernetDiagnosis.Probe start = LocalHypernetDiagnosis.hypernet(parts, exact, RANGE, -7.5, zero).probes().get(0);
        // With the λ-dependent output at zero, w_φ does not depend on λ̂: the hypergradient through it is exactly zero.
        assertEquals(0.0, start.normRatio());
        assertTrue(Double.isNaN(start.cosine()));
    }

    @Test
    void badSettingsAreRefusedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LocalHypernetDiagnosis.HypernetSettings(0, 0, 10, 3e-4, 0.01, 0.5, 100, 1, false));
        assertTrue(e.getMessage().contains("at least one step"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
