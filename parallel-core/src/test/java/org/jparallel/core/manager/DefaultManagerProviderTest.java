package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.jparallel.core.config.ConfigSource;
import org.junit.jupiter.api.Test;

/**
 * How loud the provider's "configuration from ..." line is: a warning (seen at the CLI's default level) when
 * {@code Manager.fromProperties()} found no file, for the program then runs on the defaults, which a misnamed or
 * misplaced file would not make plain; information otherwise.
 */
class DefaultManagerProviderTest {
    private static ConfigSource source(String file) {
        return new ConfigSource(Map.of(), Map.of(), file);
    }

    @Test
    void noFileFoundByTheLookUpIsAWarning() {
        assertTrue(DefaultManagerProvider.warnsOfItsSource(null, source(ConfigSource.NO_FILE + ": none here")));
    }

    @Test
    void aFileFoundOrGivenIsNot() {
        assertFalse(DefaultManagerProvider.warnsOfItsSource(null, source("/a/jparallel.properties")));
        assertFalse(DefaultManagerProvider.warnsOfItsSource(Path.of("x.properties"), source("/x.properties")));
    }
}
