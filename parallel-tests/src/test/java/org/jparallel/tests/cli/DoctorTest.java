package org.jparallel.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jparallel doctor} on local configurations: a correct one passes every check with a probe worker
 * that runs a task; a manager host workers cannot reach is reported with the key to set, whether doctor
 * sees it on its own (not an address of this machine: nothing is sent there) or through the probe worker
 * (refused on loopback); broken JVM options and commands are reported with the worker's output and the key.
 */
class DoctorTest {
    @TempDir
    Path dir;

    private Path config(String... lines) throws IOException {
        Path f = dir.resolve("jparallel.properties");
        Files.write(f, List.of(lines));
        return f;
    }

    private static List<String> tagged(String out, String tag) {
        return out.lines().filter(l -> l.startsWith(tag)).toList();
    }

    @Test
    void aCorrectLocalConfigurationPassesEveryCheckAndItsProbeWorkerRunsATask() throws IOException {
        Path f = config("jparallel.backend=local", "jparallel.workers=2",
                "jparallel.worker.output=" + dir.resolve("w%d.output"));
        Cli.Result r = Cli.run("doctor", "--config", f.toString(), "--timeout", "60s");
        assertEquals(0, r.code(), r::toString);
        assertTrue(tagged(r.out(), "[FAIL]").isEmpty() && tagged(r.out(), "[WARN]").isEmpty(), r::toString);
        for (String check : List.of("backend local", "configuration", "java command", "manager port",
                "manager address", "probe worker")) {
            assertTrue(tagged(r.out(), "[ OK ] " + check).size() == 1, () -> check + " is OK\n" + r);
        }
        assertTrue(r.out().contains("ran a task on"), r::toString);
        assertTrue(r.out().contains("All checks passed."), r::toString);
    }

    /**
     * The campaign's own configuration names its journal: the probe's manager must leave it alone. It used to open
     * it as the journal of the program 'org.jparallel.cli.Main': a journal not yet there was made under that name,
     * and the campaign was then refused it ("belongs to the program 'org.jparallel.cli.Main'"); an existing one
     * failed the probe ("belongs to the program ...").
     */
    @Test
    void theProbeLeavesTheConfiguredJournalAlone() throws IOException {
        Path journal = dir.resolve("campaign.journal");
        Path f = config("jparallel.backend=local", "jparallel.workers=1",
                "jparallel.worker.output=" + dir.resolve("w%d.output"), "jparallel.manager.journal=" + journal);
        Cli.Result r = Cli.run("doctor", "--config", f.toString(), "--timeout", "60s");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("All checks passed."), r::toString);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith("campaign.journal"))
                    .toList(), "doctor made the campaign's journal");
        }

        Files.writeString(journal, "a journal of another program: doctor must neither read nor change it");
        Cli.Result again = Cli.run("doctor", "--config", f.toString(), "--timeout", "60s");
        assertEquals(0, again.code(), again::toString);
        assertEquals("a journal of another program: doctor must neither read nor change it", Files.readString(journal));
    }

    @Test
    void anAllocatingGroupWithNoFixedWorkersIsDescribedAndProbed() throws IOException {
        Path f = config("jparallel.backend=local", "jparallel.alloc.max=2",
                "jparallel.worker.output=" + dir.resolve("w%d.output"));
        Cli.Result r = Cli.run("doctor", "--config", f.toString(), "--timeout", "60s");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("default (0 to 2 automatically allocated local worker(s))"), r::toString);
        assertTrue(tagged(r.out(), "[ OK ] probe worker").size() == 1, r::toString);
    }

    @Test
    void aManagerHostThatIsNotThisMachineFailsNamingTheKeyAndNoProbeIsSent() throws IOException {
        // 192.0.2.1 is a documentation address (RFC 5737): doctor must not send anything there.
        Path f = config("jparallel.backend=local", "jparallel.workers=1", "jparallel.manager.host=192.0.2.1");
        Cli.Result r = Cli.run("doctor", "--config", f.toString(), "--timeout", "10s");
        assertEquals(1, r.code(), r::toString);
        List<String> fails = tagged(r.out(), "[FAIL]");
        assertEquals(1, fails.size(), r::toString);
        assertTrue(fails.get(0).startsWith("[FAIL] manager address (group default): jparallel.manager.host=192.0.2.1"),
                r::toString);
        assertTrue(r.out().contains("fix: set jparallel.manager.host to an address of this machine"), r::toString);
        assertTrue(r.out().contains("[SKIP] probe worker"), r::toString);
        assertTrue(r.out().contains("1 check(s) failed."), r::toString);
    }

    @Test
    void aProbeWorkerThatCannotReachTheManagerIsReportedWithItsOutputAndTheKey() throws IOException {
        // The manager listens on 127.0.0.1 only; workers are told 127.0.0.2, where the connection is refused.
        Path f = config("jparallel.backend=local", "jparallel.workers=1", "jparallel.manager.host=127.0.0.2",
                "jparallel.manager.bind=127.0.0.1", "jparallel.worker.output=" + dir.resolve("w%d.output"));
        Cli.Result r = Cli.run("doctor", "--config", f.toString(), "--timeout", "6s");
        assertEquals(1, r.code(), r::toString);
        List<String> fails = tagged(r.out(), "[FAIL]");
        assertEquals(1, fails.size(), r::toString);
        assertTrue(fails.get(0).startsWith("[FAIL] probe worker (group default, local): the worker did not connect"),
                r::toString);
        assertTrue(r.out().contains("127.0.0.2"), () -> "the worker's output is quoted\n" + r);
        assertTrue(r.out().contains("fix: the worker could not reach the manager at the address it was given: "
                + "set jparallel.manager.host"), r::toString);
    }

    @Test
    void aWorkerThatCannotStartIsReportedWithTheEndOfItsOutput() throws IOException {
        Path f = config("jparallel.backend=local", "jparallel.workers=1", "jparallel.worker.jvm-options=-XX:+NoSuchJvmOption",
                "jparallel.worker.output=" + dir.resolve("w%d.output"));
        Cli.Result r = Cli.run("doctor", "--config", f.toString(), "--timeout", "30s");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("[FAIL] probe worker"), r::toString);
        assertTrue(r.out().contains("Unrecognized VM option 'NoSuchJvmOption'"), r::toString);
        assertTrue(r.out().contains("fix: fix the worker JVM options (jparallel.worker.jvm-options"), r::toString);
    }

    @Test
    void anInvalidConfigurationFailsFirstWithEveryProblem() throws IOException {
        Path f = config("jparallel.backend=local", "jparallel.wrokers=4");
        Cli.Result r = Cli.run("doctor", "--config", f.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("[FAIL] configuration: "), r::toString);
        assertTrue(r.out().contains("did you mean jparallel.workers?"), r::toString);
        assertTrue(tagged(r.out(), "[ OK ] probe").isEmpty(), r::toString);
    }

    @Test
    void aMissingBackendIsNamedWithItsModule() throws IOException {
        Path f = config("jparallel.backend=condor", "jparallel.workers=1");
        Cli.Result r = Cli.run("doctor", "--config", f.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("[FAIL] backend condor: No backend named 'condor'"), r::toString);
    }

    @Test
    void gridEngineCommandsThatAreNotThereAreNamedWithTheKeyThatSetsThem() throws IOException {
        Path f = config("jparallel.backend=sge", "jparallel.workers=1", "jparallel.sge.qsub=/nonexistent/bin/qsub");
        Cli.Result r = Cli.run("doctor", "--config", f.toString(), "--no-probe");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("[FAIL] qsub (group default): \"/nonexistent/bin/qsub\" is not an executable file"),
                r::toString);
        assertTrue(r.out().contains("or set jparallel.sge.qsub to the full path of qsub"), r::toString);
        assertTrue(r.out().contains("[SKIP] probe worker (group default, sge): not run (--no-probe)"), r::toString);
    }

    @Test
    void drmaaThatIsNotOnTheClasspathIsReportedWithWhatToAdd() throws IOException {
        Path f = config("jparallel.backend=sge", "jparallel.workers=1", "jparallel.sge.submit=drmaa",
                "jparallel.sge.qstat=/bin/true", "jparallel.sge.qdel=/bin/true");
        Cli.Result r = Cli.run("doctor", "--config", f.toString(), "--no-probe");
        String drmaa = r.out().lines().filter(l -> l.contains("DRMAA (group default")).findFirst().orElse("");
        // parallel-tests has the DRMAA API (not the cluster's implementation): either the classes or the
        // implementation is missing, or, on a Grid Engine machine with drmaa.jar, a session opens.
        assertTrue(drmaa.startsWith("[FAIL]") || drmaa.startsWith("[ OK ]"), r::toString);
        if (drmaa.startsWith("[FAIL]")) {
            assertTrue(r.out().contains("drmaa.jar"), r::toString);
        }
    }

    @Test
    void aThirdPartyBackendsChecksAreRunWithItsKeysInTheFixes() throws IOException {
        // pbsfake is a backend of this test source set, unknown to the CLI: its checks are the batch kit's
        Path fake = Path.of(System.getProperty("user.dir"), "src/test/resources/pbsfake");
        Path f = config("jparallel.backend=pbsfake", "jparallel.workers=1", "jparallel.pbsfake.qsub=/nonexistent/bin/qsub",
                "jparallel.pbsfake.qstat=sh " + fake.resolve("qstat"), "jparallel.pbsfake.qdel=/bin/true");
        Cli.Result r = Cli.run("doctor", "--config", f.toString(), "--no-probe");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("[ OK ] backend pbsfake: on the classpath"), r::toString);
        assertTrue(r.out().contains("[FAIL] qsub (group default): \"/nonexistent/bin/qsub\" is not an executable file"),
                r::toString);
        assertTrue(r.out().contains("fix: put PBS's bin directory on the PATH of the manager, or set "
                + "jparallel.pbsfake.qsub to the full path of qsub"), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("[ OK ] qstat (group default): /") && l.endsWith("/sh")),
                r::toString);
        assertTrue(r.out().contains("[ OK ] qdel (group default): /bin/true"), r::toString);
        assertTrue(r.out().contains("1 check(s) failed."), r::toString);
    }

    @Test
    void aThirdPartyBatchBackendInDryRunWarnsThatNothingWillBeSubmitted() throws IOException {
        Path f = config("jparallel.groups=pbs", "jparallel.group.pbs.backend=pbsfake", "jparallel.group.pbs.workers=1",
                "jparallel.group.pbs.dry-run=true");
        Cli.Result r = Cli.run("doctor", "--config", f.toString(), "--no-probe");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("[WARN] pbsfake commands (group pbs): jparallel.group.pbs.dry-run (or "
                + "jparallel.pbsfake.dry-run)=true: nothing will be submitted"), r::toString);
    }
}
