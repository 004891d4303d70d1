package org.hypergrad4j.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepSpecTest {
    private static SweepSpec parse(String yaml) {
        return SweepSpec.parse(yaml, "test.yaml");
    }

    private static String refusal(String yaml) {
        String m = assertThrows(IllegalArgumentException.class, () -> parse(yaml)).getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        return m;
    }

    @Test
    void gridIsTheProductInWrittenOrderOnTopOfBaseThenTheBaselines() {
        SweepSpec s = parse("""
                name: g
                experiment: weight-decay
                base: {dataset: iris, hyper-steps: 3, scope: global}
                grid: {scope: [global, per-weight], solver: [cg, neumann]}
                seeds: 3
                first-seed: 10
                baselines:
                  - {name: random search, experiment: decay-search, options: {search: random, hidden: [4, 5]}}
                """);
        assertEquals(List.of("scope=global, solver=cg", "scope=global, solver=neumann", "scope=per-weight, solver=cg",
                "scope=per-weight, solver=neumann", "random search"), s.settings().stream().map(SweepSpec.Setting::label).toList());
        assertEquals(Map.of("dataset", "iris", "hyper-steps", "3", "scope", "per-weight", "solver", "neumann"), s.settings().get(3).options());
        assertEquals(List.of(10L, 11L, 12L), s.seeds());
        SweepSpec.Setting baseline = s.settings().get(4);
        assertTrue(baseline.baseline());
        assertEquals("random-search", baseline.folderName());
        assertEquals(List.of("run", "decay-search", "--search", "random", "--hidden", "4,5", "--seed", "11", "--out", "o"),
                baseline.arguments(11, "o"));
        assertEquals("scope-per-weight-solver-neumann", s.settings().get(3).folderName());
    }

    @Test
    void theCommittedExampleIsThreeSettingsAndABaselineOverFourSeeds() {
        SweepSpec s = SweepSpec.read(java.nio.file.Path.of("examples/weight-decay.yaml"));
        assertEquals(List.of("solver=cg, iterations=10", "solver=neumann, iterations=10", "solver=identity", "random-search"),
                s.settings().stream().map(SweepSpec.Setting::label).toList());
        assertEquals(List.of(false, false, false, true), s.settings().stream().map(SweepSpec.Setting::baseline).toList());
        assertEquals(List.of(0L, 1L, 2L, 3L), s.seeds());
        assertEquals("per-weight", s.settings().get(2).options().get("scope"));
        assertEquals("random", s.settings().get(3).options().get("search"));
    }

    @Test
    void listedSettingsAreTakenAsWritten() {
        SweepSpec s = parse("""
                name: l
                experiment: weight-decay
                settings: [{scope: global}, {scope: per-weight, iterations: 5}]
                seeds: 1
                """);
        assertEquals(List.of("scope=global", "scope=per-weight, iterations=5"), s.settings().stream().map(SweepSpec.Setting::label).toList());
        assertEquals(List.of(0L), s.seeds());
    }

    @Test
    void anUnknownExperimentIsNamedWithTheKnownOnes() {
        String m = refusal("name: x\nexperiment: weight-decy\nseeds: 2\n");
        assertTrue(m.contains("unknown experiment 'weight-decy'") && m.contains("decay-search, stn-dropout, weight-decay"), m);
        String b = refusal("name: x\nexperiment: weight-decay\nseeds: 2\nbaselines: [{name: b, experiment: grid-search}]\n");
        assertTrue(b.startsWith("baselines[1].experiment: unknown experiment 'grid-search'"), b);
    }

    @Test
    void anUnknownSettingKeyIsNamedWithTheAllowedOnes() {
        String m = refusal("name: x\nexperiment: weight-decay\ngrid: {scop: [global]}\nseeds: 2\n");
        assertTrue(m.startsWith("grid: unknown setting key 'scop' for weight-decay; allowed: ") && m.contains("scope") && m.contains("solver"), m);
        assertFalse(m.contains("seeds,") || m.contains(" out,"), "the sweep's own keys are not offered: " + m);
        // An option of another experiment is unknown to this one.
        String t = refusal("name: x\nexperiment: decay-search\nbase: {solver: cg}\nseeds: 2\n");
        assertTrue(t.startsWith("base: unknown setting key 'solver' for decay-search"), t);
        String r = refusal("name: x\nexperiment: weight-decay\nbase: {seed: 3}\nseeds: 2\n");
        assertTrue(r.contains("'seed' is set by the sweep"), r);
        String top = refusal("name: x\nexperiment: weight-decay\nseed: 2\n");
        assertTrue(top.startsWith("Unknown key 'seed' in the sweep spec; allowed: name, experiment"), top);
    }

    @Test
    void zeroOrMissingSeedsAreRefused() {
        assertEquals("seeds must lie in [1, 1000], got 0.", refusal("name: x\nexperiment: weight-decay\nseeds: 0\n"));
        assertTrue(refusal("name: x\nexperiment: weight-decay\n").startsWith("seeds is missing"));
        assertTrue(refusal("name: x\nexperiment: weight-decay\nseeds: two\n").startsWith("seeds must be a whole number"));
    }

    @Test
    void brokenYamlAndClashingFoldersAreRefused() {
        assertTrue(refusal("name: x\nexperiment: [weight-decay\n").startsWith("The sweep spec test.yaml is not valid YAML at line"));
        String m = refusal("name: x\nexperiment: weight-decay\nseeds: 1\nbaselines: [{name: a b, experiment: decay-search}, {name: a-b, experiment: decay-search}]\n");
        assertTrue(m.contains("share the folder name 'a-b'"), m);
    }
}
