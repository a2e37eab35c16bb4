package org.jparallel.tests.sge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.jparallel.tests.OnRealScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The qsub array scenario through DRMAA. DRMAA is used by the manager, whose JVM needs the cluster's
 * drmaa.jar, libdrmaa on the library path, GLIBC_TUNABLES and SGE_ROOT: so the manager runs in a child
 * JVM started with them ({@link SgeChildJvm}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SgeDrmaaTest extends OnRealScheduler {
    SgeDrmaaTest() {
        super(SgeCell.CELL);
    }

    @Test
    void fourWorkerBulkJobThroughDrmaaRunsHundredTasksWithSetupAndLeavesNoJob() throws Exception {
        assertTrue(Files.isRegularFile(SgeChildJvm.DRMAA_JAR), SgeChildJvm.DRMAA_JAR
                + " is missing (package libdrmaa1.0-java): " + SgeCell.NOT_UP);
        String name = SgeCell.uniqueName("jp-drmaa");
        Process child = SgeChildJvm.start("run", "drmaa", tempDir, name);
        String line = SgeChildJvm.readLine(child);
        assertTrue(child.waitFor(90, TimeUnit.SECONDS), "child did not finish");
        assertNotNull(line, "child printed nothing: " + SgeChildJvm.log(tempDir));
        assertTrue(line.startsWith("OK"), line + "\n" + SgeChildJvm.log(tempDir));
        assertEquals(0, child.exitValue(), SgeChildJvm.log(tempDir));
        // with the documented JVM options, the JNI load of libdrmaa passes without Java 24+'s warning
        assertFalse(SgeChildJvm.log(tempDir).contains("WARNING: A restricted method"), SgeChildJvm.log(tempDir));
        System.out.println("SGE DRMAA: " + line);
        SgeCell.awaitNoJob(name, 20);
    }
}
