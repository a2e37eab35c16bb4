package org.jparallel.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedWorkersTest {
    @TempDir
    Path dir;

    @Test
    void simulatedWorkersLeaveNoSocketOpenOnceTheirManagerClosed() throws Exception {
        // the first worker to stop shut their event loop group down and left the others' sockets open: 6,000
        // after the benchmark's rounds, which made every JVM started later take twice as long (the drift check
        // flagged every full run)
        long before = openSockets();
        double rate = new Scenarios(dir, 0).simulated(50, 2_000, false);
        assertTrue(rate > 0, "no tasks ran");
        long after = openSockets();
        assertTrue(after - before < 10, (after - before) + " sockets left open by 50 simulated workers and their manager");
    }

    private static long openSockets() throws IOException {
        long sockets = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        sockets++;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return sockets;
    }
}
