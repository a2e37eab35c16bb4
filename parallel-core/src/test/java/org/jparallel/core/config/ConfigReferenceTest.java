package org.jparallel.core.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.WorkerBackend;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
    @Test
    void everyCoreKeyAndEveryBackendKeyIsListedWithItsFullName() {
        List<WorkerBackend> backends = List.of(new FakeBackends.Beta(), new FakeBackends.Alpha());
        String md = ConfigReference.markdown(backends);
        for (ConfigKey k : CoreKeys.ALL) {
            assertTrue(md.contains("| `" + k.name() + "` |"), k.name());
        }
        assertTrue(md.contains("| `jparallel.alpha.queue` | string | **required** | the queue to submit to |"), md);
        assertTrue(md.contains("| `jparallel.alpha.slots` | int | `1` | slots per worker |"), md);
        assertTrue(md.contains("how long to wait \\| or not"), "pipes are escaped: " + md);
        assertTrue(md.indexOf("## Backend `alpha`") < md.indexOf("## Backend `beta`"), "sorted by name");
        assertTrue(md.contains("JPARALLEL_WORKERS"), "documents the environment mapping");
        assertTrue(md.contains("jparallel.group.<name>.workers"), "documents groups");
    }
}
