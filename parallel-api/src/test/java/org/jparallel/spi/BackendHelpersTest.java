package org.jparallel.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The small SPI helpers backends share: launch overrides, batched requests (settings: BackendSettingsTest). */
class BackendHelpersTest {
    private static LaunchSpec spec() {
        return new LaunchSpec(List.of(1), "java", List.of("-Xmx1g"), "/a.jar", "org.jparallel.W", null, 4711,
                List.of(), "secret", "w%d.log");
    }

    @Test
    void overridesReplaceOnlyWhatIsSet() {
        LaunchSpec core = spec();
        assertSame(core, new LaunchOverrides().applyTo(core));
        LaunchSpec s = new LaunchOverrides().javaCommand("/opt/java").jvmOptions(List.of("-Xmx2g")).host("h")
                .outputPattern("o%d").classpath("/b.jar").applyTo(core);
        assertEquals(List.of("/opt/java", "-Xmx2g", "-cp", "/b.jar", "org.jparallel.W", "--connect", "h:4711", "--id", "1"),
                s.commandLine(1, true));
        assertEquals(Path.of("o1"), s.outputFile(1));
        assertThrows(IllegalArgumentException.class, () -> new LaunchOverrides().javaCommand("'unclosed"));
    }
}
