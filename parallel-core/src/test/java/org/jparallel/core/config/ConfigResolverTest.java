package org.jparallel.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jparallel.ConfigurationException;
import org.jparallel.ManagerSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation and resolution over two fake backends, alpha and beta, found through a service file. */
class ConfigResolverTest {
    private static final ClassLoader EMPTY = new URLClassLoader(new URL[0], null);

    @TempDir
    Path dir;

    private ConfigResolver resolver;
    private Path file;

    @BeforeEach
    void discoverFakes() throws IOException {
        resolver = new ConfigResolver(FakeBackends.registry(dir.resolve("cp"),
                FakeBackends.Alpha.class, FakeBackends.Beta.class));
        file = dir.resolve("jparallel.properties");
    }

    private ResolvedConfig resolve(String text) throws IOException {
        return resolve(text, new Properties(), Map.of());
    }

    private ResolvedConfig resolve(String text, Properties system, Map<String, String> env) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return resolver.resolve(ConfigSource.load(file, system, env, resolver.envCandidates(), EMPTY));
    }

    private String problems(String text) {
        return problems(text, Map.of());
    }

    private String problems(String text, Map<String, String> env) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> resolve(text, new Properties(), env));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    private String where() {
        return "(in " + file.toAbsolutePath() + ")";
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected <" + p + "> in:\n" + message);
        }
    }

    // ---- automatic allocation ----

    @Test
    void allocWalltimeIsForBatchBackendsAndNamesTheLifetimeKeyElsewhere() throws IOException {
        assertContains(problems("jparallel.backend=beta\njparallel.alloc.max=2\njparallel.alloc.walltime=20s\n"),
                "jparallel.alloc.walltime is for batch backends", "jparallel.worker.lifetime");
        assertContains(problems("jparallel.groups=a\njparallel.group.a.backend=beta\njparallel.group.a.alloc.max=2\n"
                + "jparallel.group.a.alloc.walltime=soon\n"), "jparallel.group.a.alloc.walltime");
        assertNull(resolve("jparallel.backend=beta\njparallel.alloc.max=2\n").groups().get(0).settings().walltime());
    }


    @Test
    void allocKeysOfTheDefaultGroupTurnOnAutomaticAllocationWithZeroWorkers() throws IOException {
        ResolvedConfig c = resolve("jparallel.backend=beta\njparallel.alloc.max=4\njparallel.alloc.max-pending=2\n"
                + "jparallel.alloc.idle-timeout=30s\njparallel.alloc.min-interval=2s\n");
        ResolvedConfig.Group g = c.groups().get(0);
        assertEquals(0, g.workers());
        assertEquals(new org.jparallel.Allocation(0, 4, 2, Duration.ofSeconds(30), Duration.ofSeconds(2)), g.allocation());
    }

    @Test
    void aNamedGroupAllocatesWithWorkersZeroOrUnset() throws IOException {
        ResolvedConfig c = resolve("jparallel.groups=a,b\njparallel.group.a.backend=beta\njparallel.group.a.workers=0\n"
                + "jparallel.group.a.alloc.max=3\njparallel.group.a.alloc.min=1\n"
                + "jparallel.group.b.backend=beta\njparallel.group.b.alloc.max=2\n");
        assertEquals(1, c.groups().get(0).allocation().min());
        assertEquals(3, c.groups().get(0).allocation().max());
        assertEquals(2, c.groups().get(1).allocation().max());
        assertEquals(0, c.groups().get(1).workers());
    }

    @Test
    void withoutAllocMaxAGroupDoesNotAllocate() throws IOException {
        assertNull(resolve("jparallel.backend=beta\njparallel.workers=2\n").groups().get(0).allocation());
    }

    @Test
    void badAllocationSettingsAreProblemsNamingTheKeys() {
        assertContains(problems("jparallel.backend=beta\njparallel.workers=2\njparallel.alloc.max=4\n"),
                "jparallel.workers=2 with jparallel.alloc.max", "jparallel.alloc.min");
        assertContains(problems("jparallel.backend=beta\njparallel.alloc.max=2\njparallel.alloc.min=3\n"),
                "allocation min must be between 0 and max (2), got 3");
        assertContains(problems("jparallel.groups=a\njparallel.group.a.backend=beta\njparallel.group.a.alloc.max=x\n"),
                "jparallel.group.a.alloc.max");
        assertContains(problems("jparallel.groups=a\njparallel.group.a.backend=beta\njparallel.group.a.alloc.mx=2\n"),
                "did you mean jparallel.group.a.alloc.max");
        assertContains(problems("jparallel.groups=a\njparallel.group.a.backend=beta\njparallel.group.a.workers=1\n"
                + "jparallel.alloc.max=2\n"), "jparallel.alloc.max (", "is for the default group",
                "set jparallel.group.<name>.alloc.max for each group that allocates");
    }

    // ---- one group ----

    @Test
    void oneGroupGetsItsBackendCountAndTheBackendKeysThatWereSet() throws IOException {
        ResolvedConfig c = resolve("jparallel.backend=alpha\njparallel.workers=3\n"
                + "jparallel.alpha.queue= q1 \njparallel.alpha.slots=2\n");
        assertEquals(1, c.groups().size());
        ResolvedConfig.Group g = c.groups().get(0);
        assertEquals("default", g.name());
        assertEquals("alpha", g.backend().name());
        assertInstanceOf(FakeBackends.Alpha.class, g.backend());
        assertEquals(3, g.workers());
        assertEquals(Map.of("queue", "q1", "slots", "2"), g.backendSettings());
        assertEquals(ManagerSettings.defaults(), c.settings());
    }

    @Test
    void theJournalKeysSetTheJournalFileModeAndIdentity() throws IOException {
        org.jparallel.JournalSettings j = resolve("jparallel.backend=beta\njparallel.manager.journal= runs/a.journal \n"
                + "jparallel.manager.journal-mode=fresh\njparallel.manager.journal-identity=campaign-7\n")
                .settings().journal();
        assertEquals(java.nio.file.Path.of("runs/a.journal"), j.file());
        assertEquals(org.jparallel.JournalMode.FRESH, j.mode());
        assertEquals("campaign-7", j.identity());
        assertEquals(org.jparallel.JournalMode.RESUME,
                resolve("jparallel.backend=beta\njparallel.manager.journal=j\n").settings().journal().mode());
        assertEquals(null, resolve("jparallel.backend=beta\n").settings().journal(), "no journal unless asked");
        assertContains(problems("jparallel.backend=beta\njparallel.manager.journal=j\njparallel.manager.journal-mode=again\n"),
                "jparallel.manager.journal-mode", "expected resume or fresh");
    }

    @Test
    void workersDefaultToTheNumberOfCores() throws IOException {
        ResolvedConfig c = resolve("jparallel.backend=beta\n");
        assertEquals(Runtime.getRuntime().availableProcessors(), c.groups().get(0).workers());
        assertEquals(Map.of(), c.groups().get(0).backendSettings());
    }

    @Test
    void workerLifetimeAndDrainMarginAreRead() throws IOException {
        ResolvedConfig c = resolve("jparallel.backend=beta\njparallel.worker.lifetime=20s\njparallel.worker.drain-margin=5s\n");
        assertEquals(java.time.Duration.ofSeconds(20), c.settings().workerLifetime());
        assertEquals(java.time.Duration.ofSeconds(5), c.settings().drainMarginOf(java.time.Duration.ofSeconds(20)));
        ResolvedConfig d = resolve("jparallel.backend=beta\njparallel.worker.lifetime=2h\n");
        assertEquals(java.time.Duration.ofMinutes(5), d.settings().drainMarginOf(java.time.Duration.ofHours(2)),
                "the default: 10% of the lifetime, at most 5 minutes");
        assertEquals(java.time.Duration.ofSeconds(2), d.settings().drainMarginOf(java.time.Duration.ofSeconds(20)));
        assertContains(problems("jparallel.backend=beta\njparallel.worker.lifetime=10s\njparallel.worker.drain-margin=10s\n"),
                "drainMargin (PT10S) must be shorter than workerLifetime (PT10S)");
    }

    @Test
    void workerSlotsAreReadAndCheckedAndDefaultToOne() throws IOException {
        assertEquals("1", resolve("jparallel.backend=beta\n").settings().workerSlots());
        assertEquals("8", resolve("jparallel.backend=beta\njparallel.worker.slots=8\n").settings().workerSlots());
        assertEquals("auto", resolve("jparallel.backend=beta\njparallel.worker.slots=AUTO\n").settings().workerSlots());
        assertContains(problems("jparallel.backend=beta\njparallel.worker.slots=0\n"),
                "worker slots must be a number from 1 to 9999 or 'auto', got '0'");
    }

    @Test
    void negativeWorkersAreAProblem() {
        assertContains(problems("jparallel.backend=beta\njparallel.workers=-2\n"),
                "jparallel.workers must be 0 or more, got -2");
    }

    @Test
    void aRequiredBackendKeyCanComeFromTheEnvironment() throws IOException {
        assertTrue(resolver.envCandidates().contains("jparallel.alpha.queue"), resolver.envCandidates().toString());
        assertTrue(resolver.envCandidates().contains("jparallel.workers"));
        ResolvedConfig c = resolve("jparallel.backend=alpha\njparallel.workers=1\n", new Properties(),
                Map.of("JPARALLEL_ALPHA_QUEUE", "fromenv"));
        assertEquals(Map.of("queue", "fromenv"), c.groups().get(0).backendSettings());
        assertEquals("environment variable JPARALLEL_ALPHA_QUEUE", c.source().origins().get("jparallel.alpha.queue"));
    }

    @Test
    void systemPropertiesAndEnvironmentOverrideTheWorkerCount() throws IOException {
        Properties system = new Properties();
        system.setProperty("jparallel.workers", "4");
        assertEquals(4, resolve("jparallel.backend=beta\njparallel.workers=2\n", system, Map.of())
                .groups().get(0).workers());
        assertEquals(6, resolve("jparallel.backend=beta\njparallel.workers=2\n", system, Map.of("JPARALLEL_WORKERS", "6"))
                .groups().get(0).workers());
    }

    // ---- problems ----

    @Test
    void anUnknownKeyNamesTheNearestKnownKey() {
        String m = problems("jparallel.backend=beta\njparallel.wrokers=4\n");
        assertContains(m, "Unknown key jparallel.wrokers " + where() + ": did you mean jparallel.workers?");
        assertContains(problems("jparallel.backend=alpha\njparallel.alpha.qeue=x\njparallel.alpha.queue=y\n"),
                "Unknown key jparallel.alpha.qeue", "did you mean jparallel.alpha.queue?");
        assertContains(problems("jparallel.backend=beta\njparallel.manager.heartbeat_timeout=3s\n"),
                "did you mean jparallel.manager.heartbeat-timeout?");
    }

    @Test
    void aFarOffUnknownKeyPointsToTheReference() {
        String m = problems("jparallel.backend=beta\nsomething.else.entirely.different=1\n");
        assertContains(m, "Unknown key something.else.entirely.different " + where(), "docs/configuration.md");
        assertFalse(m.contains("did you mean"), m);
    }

    @Test
    void aBadValueNamesKeyValueOriginAndWhatIsExpected() {
        assertContains(problems("jparallel.backend=beta\njparallel.workers=four\n"),
                "Bad value for jparallel.workers " + where() + ": 'four'; expected a whole number");
        assertContains(problems("jparallel.backend=alpha\njparallel.alpha.queue=q\njparallel.alpha.slots=many\n"),
                "Bad value for jparallel.alpha.slots " + where() + ": 'many'");
        assertContains(problems("jparallel.backend=alpha\njparallel.alpha.queue=q\njparallel.alpha.debug=yes\n"),
                "Bad value for jparallel.alpha.debug " + where() + ": 'yes'; expected true or false");
        assertContains(problems("jparallel.backend=beta\njparallel.manager.heartbeat-timeout=soon\n"),
                "Bad value for jparallel.manager.heartbeat-timeout " + where() + ": 'soon'; expected a duration");
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariable() {
        assertContains(problems("jparallel.backend=beta\njparallel.workers=2\n", Map.of("JPARALLEL_WORKERS", "lots")),
                "Bad value for jparallel.workers (environment variable JPARALLEL_WORKERS): 'lots'");
    }

    @Test
    void aBadValueIsReportedOnce() {
        String m = problems("jparallel.backend=beta\njparallel.workers=four\n");
        assertContains(m, "has 1 problem(s)");
        assertEquals(m.indexOf("Bad value"), m.lastIndexOf("Bad value"), m);
    }

    @Test
    void severalProblemsAreReportedTogether() {
        String m = problems("jparallel.backend=alpha\n"
                + "jparallel.wrokers=4\n"
                + "jparallel.manager.heartbeat-timeout=soon\n"
                + "jparallel.alpha.debug=yes\n");
        assertContains(m, "has 4 problem(s)",
                "Unknown key jparallel.wrokers",
                "Bad value for jparallel.manager.heartbeat-timeout",
                "Bad value for jparallel.alpha.debug",
                "Missing jparallel.alpha.queue");
    }

    @Test
    void aMissingRequiredBackendKeyIsReported() {
        assertContains(problems("jparallel.backend=alpha\njparallel.workers=1\n"),
                "Missing jparallel.alpha.queue: the queue to submit to. The alpha backend requires it.");
        assertContains(problems("jparallel.backend=alpha\njparallel.workers=1\njparallel.alpha.queue=  \n"),
                "Missing jparallel.alpha.queue");
    }

    @Test
    void aBackendThatIsNotOnTheClasspathListsTheBackendsFoundAndTheModuleToAdd() {
        String m = problems("jparallel.backend=sge\njparallel.workers=4\n");
        assertContains(m, "No backend named 'sge' (jparallel.backend=sge) is on the classpath",
                "Backends found: alpha, beta", "org.jparallel:backend-sge");
        assertContains(problems("jparallel.workers=1\n"), "No backend named 'local'", "org.jparallel:backend-local");
        String unknown = problems("jparallel.backend=nosuch\n");
        assertContains(unknown, "No backend named 'nosuch'", "Backends found: alpha, beta", "check the spelling");
    }

    @Test
    void keysOfAShippedBackendThatIsAbsentAreIgnored() throws IOException {
        ResolvedConfig c = resolve("jparallel.backend=beta\njparallel.workers=1\n"
                + "jparallel.sge.queue=all.q\njparallel.ssh.hosts=a,b\njparallel.local.java=/opt/java\n");
        assertEquals(1, c.groups().size());
        assertEquals("beta", c.groups().get(0).backend().name());
    }

    @Test
    void keysOfAnUnheardOfBackendAreUnknown() {
        assertContains(problems("jparallel.backend=beta\njparallel.pbs.queue=q\n"), "Unknown key jparallel.pbs.queue");
    }

    // ---- groups ----

    @Test
    void groupsHaveTheirOwnBackendCountAndOverrides() throws IOException {
        ResolvedConfig c = resolve("jparallel.backend=alpha\n"
                + "jparallel.groups=a, b ,c\n"
                + "jparallel.alpha.queue=shared\n"
                + "jparallel.group.a.backend=alpha\n"
                + "jparallel.group.a.workers=2\n"
                + "jparallel.group.a.queue=fast\n"
                + "jparallel.group.b.backend=beta\n"
                + "jparallel.group.b.workers=3\n"
                + "jparallel.group.b.mode=slow\n"
                + "jparallel.group.c.workers=1\n");
        assertEquals(List.of("a", "b", "c"), c.groups().stream().map(ResolvedConfig.Group::name).toList());
        ResolvedConfig.Group a = c.groups().get(0);
        ResolvedConfig.Group b = c.groups().get(1);
        ResolvedConfig.Group cc = c.groups().get(2);
        assertEquals("alpha", a.backend().name());
        assertEquals(2, a.workers());
        assertEquals(Map.of("queue", "fast"), a.backendSettings(), "the group's own key wins over jparallel.alpha.queue");
        assertEquals("beta", b.backend().name());
        assertEquals(3, b.workers());
        assertEquals(Map.of("mode", "slow"), b.backendSettings());
        assertEquals("alpha", cc.backend().name(), "a group without .backend uses jparallel.backend");
        assertEquals(1, cc.workers());
        assertEquals(Map.of("queue", "shared"), cc.backendSettings());
    }

    @Test
    void withGroupsTheTopLevelWorkerCountIsNotUsed() throws IOException {
        ResolvedConfig c = resolve("jparallel.groups=a\njparallel.group.a.backend=beta\njparallel.group.a.workers=2\n");
        assertEquals(1, c.groups().size());
        assertEquals(2, c.groups().get(0).workers());
    }

    @Test
    void aGroupWithoutWorkersIsTheOnlyProblemReported() {
        String m = problems("jparallel.groups=a\njparallel.group.a.backend=beta\n");
        assertContains(m, "has 1 problem(s)", "Missing jparallel.group.a.workers");
        assertFalse(m.contains("Unknown key"), m);
    }

    @Test
    void aGroupWithABadWorkerCountIsTheOnlyProblemReported() {
        String m = problems("jparallel.groups=a\njparallel.group.a.backend=beta\njparallel.group.a.workers=two\n");
        assertContains(m, "has 1 problem(s)", "Bad value for jparallel.group.a.workers " + where() + ": 'two'");
        assertFalse(m.contains("Unknown key"), m);
    }

    @Test
    void aGroupWhoseBackendIsMissingReportsTheBackendNotItsKeys() {
        String m = problems("jparallel.groups=a\njparallel.group.a.backend=sge\njparallel.group.a.workers=16\n");
        assertContains(m, "has 1 problem(s)", "No backend named 'sge' (jparallel.group.a.backend=sge)",
                "org.jparallel:backend-sge");
        assertFalse(m.contains("Unknown key"), m);
    }

    @Test
    void aGroupsRequiredKeyMayComeFromEitherPlace() {
        assertContains(problems("jparallel.groups=a\njparallel.group.a.backend=alpha\njparallel.group.a.workers=1\n"),
                "Missing jparallel.alpha.queue (or jparallel.group.a.queue)");
    }

    @Test
    void groupLevelBackendKeysAreTypeChecked() {
        assertContains(problems("jparallel.groups=a\njparallel.group.a.backend=alpha\njparallel.group.a.workers=1\n"
                + "jparallel.group.a.queue=q\njparallel.group.a.slots=x\n"),
                "Bad value for jparallel.group.a.slots " + where() + ": 'x'");
    }

    @Test
    void keysOfAGroupThatIsNotListedAreUnknown() {
        String m = problems("jparallel.groups=a\njparallel.group.a.backend=beta\njparallel.group.a.workers=1\n"
                + "jparallel.group.z.workers=1\n");
        assertContains(m, "Unknown key jparallel.group.z.workers", "did you mean jparallel.group.a.workers?");
    }

    @Test
    void aGroupsKeyThatItsBackendDoesNotHaveIsUnknown() {
        assertContains(problems("jparallel.groups=a\njparallel.group.a.backend=beta\njparallel.group.a.workers=1\n"
                + "jparallel.group.a.queue=q\n"), "Unknown key jparallel.group.a.queue");
    }

    // ---- manager keys ----

    @Test
    void managerAndWorkerKeysMapIntoManagerSettings() throws IOException {
        ResolvedConfig c = resolve("jparallel.backend=beta\njparallel.workers=1\n"
                + "jparallel.manager.host=head.example.org\n"
                + "jparallel.manager.bind=127.0.0.1\n"
                + "jparallel.manager.port=4711\n"
                + "jparallel.manager.start-timeout=90s\n"
                + "jparallel.manager.heartbeat-timeout=3s\n"
                + "jparallel.manager.max-frame-bytes=65536\n"
                + "jparallel.manager.max-lost-attempts=5\n"
                + "jparallel.manager.task-retries=1\n"
                + "jparallel.manager.prefetch=2\n"
                + "jparallel.manager.replace-lost-workers=4\n"
                + "jparallel.worker.java=/opt/env.sh \"my java\"\n"
                + "jparallel.worker.jvm-options=-Xmx1g -Da=b \"-Dc=d e\"\n"
                + "jparallel.worker.classpath=/a.jar:/b.jar\n"
                + "jparallel.worker.output=/tmp/logs/w%d.log\n"
                + "jparallel.worker.death-timeout=2m\n");
        ManagerSettings s = c.settings();
        assertEquals("head.example.org", s.host());
        assertEquals("127.0.0.1", s.bindAddress());
        assertEquals(4711, s.port());
        assertEquals(Duration.ofSeconds(90), s.startTimeout());
        assertEquals(Duration.ofSeconds(3), s.heartbeatTimeout());
        assertEquals(Duration.ofMillis(750), s.heartbeatInterval(), "a quarter of a timeout shorter than 8 s");
        assertEquals(65536, s.maxFrameBytes());
        assertEquals(5, s.maxLostAttempts());
        assertEquals(1, s.taskRetries());
        assertEquals(2, s.prefetch());
        assertEquals(4, s.replaceLostWorkers());
        assertEquals("/opt/env.sh \"my java\"", s.javaCommand());
        assertEquals(List.of("-Xmx1g", "-Da=b", "-Dc=d e"), s.jvmOptions());
        assertEquals("/a.jar:/b.jar", s.classpath());
        assertEquals("/tmp/logs/w%d.log", s.outputPattern());
        assertEquals(Duration.ofMinutes(2), s.workerDeathTimeout());
    }

    @Test
    void anExplicitHeartbeatIntervalIsKept() throws IOException {
        ManagerSettings s = resolve("jparallel.backend=beta\njparallel.manager.heartbeat-interval=500ms\n").settings();
        assertEquals(Duration.ofMillis(500), s.heartbeatInterval());
        assertEquals(Duration.ofSeconds(20), s.heartbeatTimeout());
    }

    @Test
    void blankOptionalManagerKeysMeanTheDefault() throws IOException {
        ManagerSettings s = resolve("jparallel.backend=beta\njparallel.manager.host=\njparallel.worker.jvm-options=\n")
                .settings();
        assertNull(s.host());
        assertEquals(List.of(), s.jvmOptions());
    }

    @Test
    void replaceLostWorkersIsUnlimitedByDefaultAndTakesUnlimitedOrANumber() throws IOException {
        assertEquals(ManagerSettings.UNLIMITED_REPLACEMENTS, resolve("jparallel.backend=beta\n").settings().replaceLostWorkers());
        assertEquals(ManagerSettings.UNLIMITED_REPLACEMENTS, resolve("jparallel.backend=beta\n"
                + "jparallel.manager.replace-lost-workers=Unlimited\n").settings().replaceLostWorkers());
        assertEquals(0, resolve("jparallel.backend=beta\njparallel.manager.replace-lost-workers=0\n")
                .settings().replaceLostWorkers());
        assertContains(problems("jparallel.backend=beta\njparallel.manager.replace-lost-workers=lots\n"),
                "jparallel.manager.replace-lost-workers", "'lots'", "a whole number or unlimited");
    }

    @Test
    void settingsThatDoNotFitTogetherAreAConfigurationError() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> resolve("jparallel.backend=beta\njparallel.manager.prefetch=-1\n"));
        assertContains(e.getMessage(), file.toAbsolutePath().toString(), "prefetch must be 0 (automatic) or more");
        e = assertThrows(ConfigurationException.class, () -> resolve("jparallel.backend=beta\n"
                + "jparallel.manager.heartbeat-interval=5s\njparallel.manager.heartbeat-timeout=3s\n"));
        assertContains(e.getMessage(), "heartbeatTimeout");
    }

    @Test
    void anUnclosedQuoteInJvmOptionsIsABadValue() {
        assertContains(problems("jparallel.backend=beta\njparallel.worker.jvm-options=-Dx=\"oops\n"),
                "Bad value for jparallel.worker.jvm-options " + where() + ": '-Dx=\"oops'");
        assertContains(problems("jparallel.backend=beta\njparallel.worker.java='/opt/my java\n"),
                "Bad value for jparallel.worker.java " + where());
    }

    @Test
    void aGroupsBackendGetsCreatedFromItsSettings() throws IOException {
        ResolvedConfig c = resolve("jparallel.backend=alpha\njparallel.workers=2\njparallel.alpha.queue=q\n");
        ResolvedConfig.Group g = c.groups().get(0);
        FakeBackends.RecordingGroup made = (FakeBackends.RecordingGroup) g.backend().createGroup(g.workers(),
                g.settings());
        assertEquals(new FakeBackends.RecordingGroup("alpha", 2, Map.of("queue", "q")), made);
    }
}
