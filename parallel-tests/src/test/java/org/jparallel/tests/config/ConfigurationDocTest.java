package org.jparallel.tests.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jparallel.core.config.ConfigReference;
import org.jparallel.local.LocalBackend;
import org.jparallel.sge.SgeBackend;
import org.jparallel.slurm.SlurmBackend;
import org.jparallel.ssh.SshBackend;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} is the key reference generated from the declarations in code, for
 * the backends jparallel ships; this test fails when it has drifted. With
 * {@code -DwriteDocs=true} it rewrites the file instead.
 */
class ConfigurationDocTest {
    /** The module's working directory under Maven is parallel-tests/. */
    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final String REGENERATE =
            "mvn -q -pl parallel-tests test -Dtest=ConfigurationDocTest -DwriteDocs=true";

    /** @return the reference for the backends jparallel ships (today: local) */
    static String generated() {
        return ConfigReference.markdown(List.of(new LocalBackend(), new SgeBackend(), new SlurmBackend(), new SshBackend()));
    }

    @Test
    void docsConfigurationMdMatchesTheKeyDeclarations() throws IOException {
        String expected = generated();
        if (Boolean.getBoolean("writeDocs")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
            System.out.println("wrote " + DOC.toAbsolutePath().normalize());
        }
        assertTrue(Files.isRegularFile(DOC), DOC.toAbsolutePath().normalize() + " is missing; run: " + REGENERATE);
        String actual = Files.readString(DOC, StandardCharsets.UTF_8);
        assertEquals(expected, actual, DOC.toAbsolutePath().normalize()
                + " is out of date with the key declarations in code; run: " + REGENERATE);
    }
}
