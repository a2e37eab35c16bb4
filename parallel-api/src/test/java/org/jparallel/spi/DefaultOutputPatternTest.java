package org.jparallel.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.List;
import org.jparallel.Manager;
import org.jparallel.ManagerSettings;
import org.junit.jupiter.api.Test;

/**
 * Two managers in one JVM (or on one machine) with the default output pattern write to different files, in a
 * directory of their own ({@code jparallel-output/}) rather than beside the program's files.
 */
class DefaultOutputPatternTest {

    private static LaunchSpec spec(String pattern, int port) {
        return new LaunchSpec(List.of(1), "java", List.of(), "cp", "Main", null, port, List.of(), "s3cret", pattern);
    }

    @Test
    void theDefaultOutputFilesOfTwoManagersDiffer() {
        String pattern = Manager.builder().settings().outputPattern();
        assertEquals(ManagerSettings.DEFAULT_OUTPUT_PATTERN, pattern);
        assertNotEquals(spec(pattern, 40123).outputFile(1), spec(pattern, 40124).outputFile(1));
        assertEquals(Path.of("jparallel-output", "worker1-port40123.output"), spec(pattern, 40123).outputFile(1),
                "in a directory of their own, not among the program's files");
    }

    @Test
    void percentPIsTheManagersPortInEveryPattern() {
        LaunchSpec s = spec("logs/%p/w%d.log", 5000);
        assertEquals("logs/5000/w%d.log", s.outputPattern(), "backends that expand %d themselves see the port");
        assertEquals(Path.of("logs/5000/w1.log"), s.outputFile(1));
        assertEquals(Path.of("x/5000/w1.log"), s.withOutputPattern("x/%p/w%d.log").outputFile(1));
        assertEquals(Path.of("w1.log"), spec("w%d.log", 5000).outputFile(1), "a pattern without %p is kept");
    }
}
