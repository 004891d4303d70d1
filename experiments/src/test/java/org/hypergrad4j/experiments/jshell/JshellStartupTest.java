package org.hypergrad4j.experiments.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the jshell start-up script non-interactively and a hyperparameter optimisation in two typed lines. */
class JshellStartupTest {

    @Test
    void startupScriptDefinesTheDemoAndARunWorks() throws IOException, InterruptedException {
        // jshell rejects class-path entries that do not exist (an empty module has no target/classes).
        String classPath = java.util.Arrays.stream(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .split(java.io.File.pathSeparator)).filter(e -> java.nio.file.Files.exists(Path.of(e)))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        Process p = new ProcessBuilder(List.of(jshell.toString(), "-q", "--class-path", classPath, "-R-Xmx2g",
                "-R-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "--startup", "DEFAULT", "--startup", Path.of("src/main/jshell/startup.jsh").toAbsolutePath().toString()))
                .redirectErrorStream(true).start();
        p.getOutputStream().write(("var r = demo().hyperSteps(3).innerSteps(20).run();\n"
                + "System.out.println(\"ACCURACY=\" + r.test().accuracy());\n/exit\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "jshell finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("demo() are defined"), out);
        int at = out.indexOf("ACCURACY=");
        assertTrue(at >= 0, out);
        double accuracy = Double.parseDouble(out.substring(at + 9).split("\\s")[0]);
        assertTrue(accuracy > 0.8 && accuracy <= 1.0, "test accuracy of the demo problem: " + accuracy);
        assertTrue(!out.contains("Error:") && !out.contains("Exception"), out);
    }
}
