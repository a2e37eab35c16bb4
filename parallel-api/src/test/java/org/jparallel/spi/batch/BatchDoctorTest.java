package org.jparallel.spi.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.DoctorCheck;
import org.jparallel.spi.BackendSettings;
import org.jparallel.spi.DoctorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit's doctor checks: each tool found on the context's PATH or at its configured path; dry-run warns instead. */
class BatchDoctorTest {
    @TempDir
    Path dir;

    private DoctorContext context(String group, Map<String, String> settings) {
        return new DoctorContext(new BackendSettings("fake", group, settings, Map.of()), "java", dir.toString());
    }

    @Test
    void eachToolIsLookedUpOnThePathOrAtItsConfiguredPathAndAMissingOneNamesItsKey() throws Exception {
        FakeScheduler s = new FakeScheduler();
        String submit = s.tools().get(0);
        Path onPath = Files.createFile(dir.resolve(submit),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String status = s.tools().get(1);
        List<DoctorCheck> checks = BatchDoctor.toolChecks(context("big",
                Map.of(status, "/nonexistent/" + status + " --flag")), s);
        assertEquals(s.tools(), checks.stream().map(DoctorCheck::name).toList());
        assertEquals(DoctorCheck.Result.ok(onPath.toString()), checks.get(0).run());
        DoctorCheck.Result missing = checks.get(1).run();
        assertEquals(DoctorCheck.Status.FAIL, missing.status());
        assertEquals("\"/nonexistent/" + status + "\" is not an executable file", missing.detail());
        assertEquals("put " + s.product() + "'s bin directory on the PATH of the manager, or set jparallel.group.big."
                + status + " (or jparallel.fake." + status + ") to the full path of " + status, missing.fix());
    }

    @Test
    void aDryRunIsOneWarningInsteadOfTheTools() {
        List<DoctorCheck> checks = BatchDoctor.toolChecks(context("default", Map.of("dry-run", "true")), new FakeScheduler());
        assertEquals(1, checks.size());
        assertEquals("fake commands", checks.get(0).name());
        assertEquals(DoctorCheck.Result.warn("jparallel.fake.dry-run=true: nothing will be submitted",
                "set jparallel.fake.dry-run=false to run workers"), checks.get(0).run());
    }
}
