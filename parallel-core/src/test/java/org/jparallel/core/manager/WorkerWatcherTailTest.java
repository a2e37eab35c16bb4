package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.junit.jupiter.api.Test;

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
    void otherOutputIsQuotedWithoutAHint() {
        String tail = WorkerWatcher.tail(new Handle("Invalid maximum heap size: -Xmx2q\n"));
        assertTrue(tail.contains("-Xmx2q") && tail.contains("/tmp/worker1.output"), tail);
        assertFalse(tail.contains("parallel-core"), tail);
    }
}
