package org.jparallel.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code jparallel} command (scripts/jparallel) starts from the class data sharing archive its build wrote
 * (parallel-cli's pom trains it at {@code package}): its own classes come from the archive, not from its jar, the
 * command prints nothing about the archive, and the archive never stops the command from starting (JVM options
 * with class sharing of their own, a checkout whose path has a space).
 */
class CommandClassSharingTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path TARGET = ROOT.resolve("parallel-cli/target");

    @Test
    void theCommandStartsFromItsBuildsArchive(@TempDir Path dir) throws Exception {
        assumeBuilt();
        assertTrue(Files.isRegularFile(TARGET.resolve("jparallel-cli.jsa")),
                "the build wrote no archive; its training run's output: " + trainingLog());
        Path classes = dir.resolve("classes.log");
        String err = run(ROOT.resolve("scripts/jparallel"), dir, "-Xlog:class+load=info:file=" + classes);
        assertEquals("", err, "the command printed something on its standard error");
        String main = Files.readAllLines(classes, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains(" org.jparallel.cli.Main ")).findFirst()
                .orElseThrow(() -> new AssertionError("org.jparallel.cli.Main was not loaded"));
        assertTrue(main.contains("shared objects file (top)"), "not from the build's archive: " + main);
    }

    @Test
    void optionsThatChooseClassSharingOfTheirOwnStillStartTheCommand(@TempDir Path dir) throws Exception {
        assumeBuilt();
        // the JVM refuses a dynamic archive's recording beside a shared archive file
        run(ROOT.resolve("scripts/jparallel"), dir, "-XX:ArchiveClassesAtExit=" + dir.resolve("own.jsa"));
    }

    @Test
    void aCheckoutWhosePathHasASpaceStartsTheCommand(@TempDir Path dir) throws Exception {
        assumeBuilt();
        Path checkout = dir.resolve("a b");
        Files.createDirectories(checkout.resolve("scripts"));
        Files.createDirectories(checkout.resolve("parallel-cli"));
        Files.copy(ROOT.resolve("scripts/jparallel"), checkout.resolve("scripts/jparallel"));
        Files.createSymbolicLink(checkout.resolve("parallel-cli/target"), TARGET);
        run(checkout.resolve("scripts/jparallel"), dir, "");
    }

    /** Runs {@code config --keys} through the script with the test's java; @return its standard error */
    private static String run(Path script, Path dir, String javaOptions) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), "config", "--keys")
                .directory(dir.toFile()).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        // the java that ran the build wrote the archive; an archive of another JVM would not be used
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("JPARALLEL_JAVA_OPTS", javaOptions);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(script + " config --keys did not end in 60 s");
        }
        String err = Files.readString(dir.resolve("err"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertTrue(Files.readString(dir.resolve("out"), StandardCharsets.UTF_8).startsWith("# Configuration keys"));
        return err;
    }

    private static void assumeBuilt() {
        Assumptions.assumeFalse(Boolean.getBoolean("cli.archive.skip"), "built with -Dcli.archive.skip=true");
        if (!Files.isDirectory(TARGET.resolve("lib"))) {
            String why = "parallel-cli is not packaged (run `mvn package`, not only `test`)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }

    private static String trainingLog() {
        try {
            return Files.readString(TARGET.resolve("cds-training/training.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(none: " + e + ")";
        }
    }
}
