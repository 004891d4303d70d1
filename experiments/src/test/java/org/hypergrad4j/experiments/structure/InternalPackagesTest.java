package org.hypergrad4j.experiments.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Scans every source file of the checkout: a package named {@code ...internal...} is used only by the module
 * that holds it, and every main package has a {@code package-info.java}.
 */
class InternalPackagesTest {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(org\\.hypergrad4j\\.[\\w.]*\\.internal)(?:\\.[\\w*]+)*;",
            Pattern.MULTILINE);

    /** The checkout's root: the tests run in the module folder. */
    private static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("experiments")) ? here : here.getParent();
    }

    private static List<Path> modules() throws IOException {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(p -> Files.isDirectory(p.resolve("src"))).sorted().toList();
        }
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void internalPackagesAreUsedOnlyInsideTheirModule() throws IOException {
        Map<String, Path> owner = new HashMap<>();
        for (Path m : modules()) {
            for (Path f : javaFiles(m.resolve("src/main/java"))) {
                String pkg = m.resolve("src/main/java").relativize(f.getParent()).toString().replace('/', '.');
                if (pkg.matches(".*\\binternal\\b.*")) {
                    owner.put(pkg, m);
                }
            }
        }
        assertTrue(!owner.isEmpty(), "the scan found the internal packages (autodiff.internal at least)");
        List<String> violations = new ArrayList<>();
        for (Path m : modules()) {
            for (Path f : javaFiles(m.resolve("src"))) {
                Matcher matcher = IMPORT.matcher(Files.readString(f));
                while (matcher.find()) {
                    Path holder = owner.get(matcher.group(1));
                    if (holder != null && !holder.equals(m)) {
                        violations.add(root().relativize(f) + " imports " + matcher.group(1) + " of module " + holder.getFileName());
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void everyMainPackageHasPackageDocumentation() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path m : modules()) {
            javaFiles(m.resolve("src/main/java")).stream().map(Path::getParent).distinct()
                    .filter(d -> !Files.exists(d.resolve("package-info.java"))).forEach(d -> missing.add(root().relativize(d).toString()));
        }
        assertEquals(List.of(), missing);
    }
}
