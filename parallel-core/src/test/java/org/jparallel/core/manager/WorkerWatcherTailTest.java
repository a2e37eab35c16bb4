package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jparallel.spi.UnstartedWorkerHandle;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a worker that will not connect is reported with: the tail of its output, and a hint where one is sure. */
class WorkerWatcherTailTest {
    private record Handle(String output) implements WorkerHandle {
        @Override
        public int workerId() {
            return 1;
        }

        @Override
        public String description() {
            return "test";
        }

        @Override
        public WorkerStatus status() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String outputTail(int maxLines) {
            return output;
        }

        @Override
        public String logLocation() {
            return "/tmp/worker1.output";
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void aClasspathWithoutTheWorkerMainClassSaysWhatToFix() {
        String tail = WorkerWatcher.tail(new Handle("Error: Could not find or load main class"
                + " org.jparallel.core.worker.WorkerMain\nCaused by: java.lang.ClassNotFoundException:"
                + " org.jparallel.core.worker.WorkerMain\n"));
        assertTrue(tail.contains("Could not find or load main class org.jparallel.core.worker.WorkerMain"), tail);
        assertTrue(tail.contains("parallel-core"), tail);
        assertTrue(tail.contains("jparallel.worker.classpath"), tail);
        assertTrue(tail.contains("ship(true)") && tail.contains("jparallel.ssh.ship=true"),
                "the manager's own classpath is not on an SSH host without a shared filesystem: " + tail);
    }

    @Test
    void aWorkerNeverSubmittedIsNotSaidToHaveAnEmptyOutput(@TempDir Path dir) {
        UnstartedWorkerHandle refused = new UnstartedWorkerHandle(3, "Slurm worker 3 (not submitted)",
                dir.resolve("worker3.output"), "sbatch: error: invalid partition specified: nosuch", () -> { });
        assertEquals("", WorkerWatcher.tail(refused), "its reason says it all");
        assertTrue(WorkerWatcher.tail(new Handle("")).contains("is empty"), "a started worker's silence is worth saying");
    }

    @Test
    void otherOutputIsQuotedWithoutAHint() {
        String tail = WorkerWatcher.tail(new Handle("Invalid maximum heap size: -Xmx2q\n"));
        assertTrue(tail.contains("-Xmx2q") && tail.contains("/tmp/worker1.output"), tail);
        assertFalse(tail.contains("parallel-core"), tail);
    }
}
