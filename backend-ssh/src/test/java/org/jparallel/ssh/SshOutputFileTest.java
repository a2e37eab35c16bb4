package org.jparallel.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SSH worker's output file is on the manager's side (its output comes back over the exec channel), so the
 * manager, not the remote command, makes its directory; shown here with a worker that could not start, whose
 * reason goes to that file.
 */
class SshOutputFileTest {
    @TempDir
    Path tmp;

    @Test
    void theLocalOutputFilesMissingDirectoriesAreMade() throws Exception {
        Path out = tmp.resolve("jparallel-output/run22/worker3.output");
        SshWorkerHandle h = SshWorkerHandle.failed(3, "node1", out, "no free slot");
        assertTrue(Files.isDirectory(out.getParent()));
        assertEquals("no free slot", Files.readString(out).strip());
        assertEquals("no free slot", h.outputTail(1));
    }
}
