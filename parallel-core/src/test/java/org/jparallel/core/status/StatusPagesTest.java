package org.jparallel.core.status;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jparallel.JParallelException;
import org.jparallel.Manager;
import org.junit.jupiter.api.Test;

/** The status page is a module of its own: parallel-core's tests run without it, as a manager without it does. */
class StatusPagesTest {
    @Test
    void aStatusPortWithoutTheStatusModuleSaysWhichModuleToAdd() {
        JParallelException e = assertThrows(JParallelException.class,
                () -> Manager.builder().bindAddress("127.0.0.1").statusPort(0).build().close());
        assertTrue(e.getMessage().contains("org.jparallel:parallel-status"), e.getMessage());
        assertTrue(e.getMessage().contains("jparallel.manager.status-port"), e.getMessage());
    }

    @Test
    void withoutAStatusPortNoModuleIsNeeded() {
        try (Manager m = Manager.builder().bindAddress("127.0.0.1").build()) {
            assertTrue(m.statusAddress().isEmpty());
        }
    }
}
