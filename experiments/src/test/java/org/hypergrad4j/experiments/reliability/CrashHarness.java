package org.hypergrad4j.experiments.reliability;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hypergrad4j.bilevel.io.DurableFiles;
import org.hypergrad4j.experiments.cli.Main;

/**
 * The child process of the crash tests: runs {@code hpo} commands one after another in one JVM (saving a JVM
 * start per trial), each optionally armed to halt at its {@code k}-th file operation. Arguments: commands
 * separated by {@code ";"}, each {@code "halt" k hpo-args...} or {@code "go" hpo-args...}. Prints
 * {@code status <n>} per command that returns.
 */
public final class CrashHarness {
    private CrashHarness() {
    }

    public static void main(String[] args) {
        List<List<String>> commands = new ArrayList<>();
        commands.add(new ArrayList<>());
        for (String a : args) {
            if (a.equals(";")) {
                commands.add(new ArrayList<>());
            } else {
                commands.get(commands.size() - 1).add(a);
            }
        }
        PrintWriter out = new PrintWriter(System.out, true);
        for (List<String> c : commands) {
            if (c.isEmpty()) {
                continue;
            }
            List<String> hpo;
            if (c.get(0).equals("halt")) {
                DurableFiles.haltAtPointFromNow(Long.parseLong(c.get(1)));
                hpo = c.subList(2, c.size());
            } else {
                DurableFiles.haltAtPointFromNow(0);
                hpo = c.subList(1, c.size());
            }
            int status = Main.run(hpo.toArray(String[]::new), out, out);
            DurableFiles.haltAtPointFromNow(0);
            out.println("status " + status + " " + Arrays.toString(hpo.toArray()));
        }
        System.exit(0);
    }
}
