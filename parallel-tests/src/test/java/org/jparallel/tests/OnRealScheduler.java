package org.jparallel.tests;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of an end-to-end test class that runs on a {@link RealScheduler}: each test gets a fresh
 * directory and runs only when the scheduler is up (fails under {@code CI=true} when it is not).
 */
public abstract class OnRealScheduler {
    @TempDir
    protected Path tempDir;

    private final RealScheduler scheduler;

    protected OnRealScheduler(RealScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @BeforeEach
    final void schedulerUp() {
        scheduler.requireUp();
    }
}
