package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jparallel.core.protocol.Secret;
import org.jparallel.spi.LaunchSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerOptionsTest {
    private final Secret secret = Secret.generate();
    private final Map<String, String> env = Map.of(LaunchSpec.SECRET_ENV, secret.text());

    private static IllegalArgumentException fails(Map<String, String> env, String... args) {
        return assertThrows(IllegalArgumentException.class, () -> WorkerOptions.parse(args, env));
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), () -> "expected '" + expected + "' in: " + actual);
    }

    @Test
    void connectTakesCommaSeparatedListsAndMayBeRepeated() {
        WorkerOptions o = WorkerOptions.parse(new String[] {"--connect", "node1:4000, 10.0.0.5:4000,,", "--connect",
            "[::1]:4001"}, env);
        assertEquals(List.of("node1:4000", "10.0.0.5:4000", "[::1]:4001"), o.addresses());
        assertEquals("node1", WorkerOptions.host(o.addresses().get(0)));
        assertEquals(4000, WorkerOptions.port(o.addresses().get(0)));
        assertEquals("::1", WorkerOptions.host(o.addresses().get(2)));
        assertEquals(4001, WorkerOptions.port(o.addresses().get(2)));
    }

    @Test
    void slotsDefaultToOneAndAreANumberOrAutoFromTheSchedulersCores() {
        assertEquals(1, WorkerOptions.parse(new String[] {"--connect", "h:1"}, env).slots());
        assertEquals(8, WorkerOptions.parse(new String[] {"--connect", "h:1", "--slots", "8"}, env).slots());
        assertEquals(6, WorkerOptions.slotCount("auto", Map.of("NSLOTS", "6")));
        assertEquals(3, WorkerOptions.slotCount("auto", Map.of("SLURM_CPUS_PER_TASK", "3")));
        assertEquals(Runtime.getRuntime().availableProcessors(), WorkerOptions.slotCount("auto", Map.of()));
        assertContains("--slots needs a number of task slots (1 to 4096) or 'auto', got '0'",
                fails(env, "--connect", "h:1", "--slots", "0").getMessage());
    }

    @Test
    void idDefaultsToZeroAndIsParsed() {
        assertEquals(0, WorkerOptions.parse(new String[] {"--connect", "h:1"}, env).workerId());
        assertEquals(17, WorkerOptions.parse(new String[] {"--connect", "h:1", "--id", "17"}, env).workerId());
        assertContains("--id needs a number, got 'x'", fails(env, "--connect", "h:1", "--id", "x").getMessage());
    }

    @Test
    void connectTimeoutDefaultsTo60SecondsAndIsAtLeastOne() {
        assertEquals(Duration.ofSeconds(60), WorkerOptions.parse(new String[] {"--connect", "h:1"}, env).connectTimeout());
        assertEquals(Duration.ofSeconds(5),
                WorkerOptions.parse(new String[] {"--connect", "h:1", "--connect-timeout", "5"}, env).connectTimeout());
        assertEquals(Duration.ofSeconds(1),
                WorkerOptions.parse(new String[] {"--connect", "h:1", "--connect-timeout", "0"}, env).connectTimeout());
    }

    @Test
    void theSecretIsReadFromTheEnvironment() {
        WorkerOptions o = WorkerOptions.parse(new String[] {"--connect", "h:1"}, env);
        assertEquals(secret.text(), o.secret().text());
    }

    @Test
    void theSecretIsReadFromAFileBeforeTheEnvironment(@TempDir Path dir) throws IOException {
        Secret other = Secret.generate();
        Path file = dir.resolve("secret");
        Files.writeString(file, other.text() + "\n", StandardCharsets.US_ASCII);
        WorkerOptions o = WorkerOptions.parse(new String[] {"--connect", "h:1", "--secret-file", file.toString()}, env);
        assertEquals(other.text(), o.secret().text());
    }

    @Test
    void aMissingSecretGivesAClearError() {
        IllegalArgumentException e = fails(Map.of(), "--connect", "h:1");
        assertContains("no secret in the environment variable " + LaunchSpec.SECRET_ENV, e.getMessage());
        assertContains("no secret in the environment variable", fails(Map.of(LaunchSpec.SECRET_ENV, "  "), "--connect", "h:1")
                .getMessage());
    }

    @Test
    void aMissingOrEmptySecretFileGivesAClearError(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope");
        assertContains("cannot read the secret", fails(env, "--connect", "h:1", "--secret-file", missing.toString()).getMessage());
        Path empty = Files.writeString(dir.resolve("empty"), "");
        assertContains("no secret in the file " + empty, fails(env, "--connect", "h:1", "--secret-file", empty.toString())
                .getMessage());
    }

    @Test
    void aBadSecretGivesAClearError() {
        assertContains("bad secret in the environment variable",
                fails(Map.of(LaunchSpec.SECRET_ENV, "not base64!"), "--connect", "h:1").getMessage());
        assertContains("too short", fails(Map.of(LaunchSpec.SECRET_ENV, "c2hvcnQ"), "--connect", "h:1").getMessage());
    }

    @Test
    void aBadAddressIsRejected() {
        assertContains("bad manager address 'nohost'", fails(env, "--connect", "nohost").getMessage());
        assertContains("bad manager address 'host:'", fails(env, "--connect", "host:").getMessage());
        assertContains("bad manager address ':4000'", fails(env, "--connect", ":4000").getMessage());
        assertContains("bad port in manager address 'host:http'", fails(env, "--connect", "host:http").getMessage());
        assertContains("bad manager address 'b'", fails(env, "--connect", "a:1,b").getMessage());
    }

    @Test
    void aPortOutOfRangeIsRejected() {
        assertContains("'host:70000'", fails(env, "--connect", "host:70000").getMessage());
        assertContains("'host:0'", fails(env, "--connect", "host:0").getMessage());
        assertContains("'host:-1'", fails(env, "--connect", "host:-1").getMessage());
    }

    @Test
    void anUnknownOptionIsRejectedWithTheUsage() {
        IllegalArgumentException e = fails(env, "--connect", "h:1", "--frobnicate");
        assertContains("unknown option --frobnicate", e.getMessage());
        assertContains("usage:", e.getMessage());
        assertContains("--secret-file", e.getMessage());
    }

    @Test
    void theSecretIsNeverAcceptedOnTheCommandLine() {
        assertContains("unknown option --secret", fails(env, "--connect", "h:1", "--secret", secret.text()).getMessage());
    }

    @Test
    void anOptionWithoutItsValueIsRejected() {
        assertContains("--connect needs a value", fails(env, "--connect").getMessage());
        assertContains("--id needs a value", fails(env, "--connect", "h:1", "--id").getMessage());
    }

    @Test
    void noAddressIsRejected() {
        assertContains("no manager address given", fails(env).getMessage());
        assertContains("no manager address given", fails(env, "--connect", " , ").getMessage());
    }

    @Test
    void aLifetimeFromTheLaunchSpecIsReportedAsTheTimeLeftAndNoneMeansMinusOne() {
        LaunchSpec spec = new LaunchSpec(java.util.List.of(3), "java", java.util.List.of(), "cp", "Main", null, 4000,
                java.util.List.of(), "s", "out%d").withLifetime(java.time.Duration.ofSeconds(20));
        java.util.List<String> cmd = spec.commandLine(3, true);
        int at = cmd.indexOf(LaunchSpec.LIFETIME_OPTION);
        assertEquals("20000", cmd.get(at + 1), cmd.toString());
        String[] workerArgs = cmd.subList(cmd.indexOf("Main") + 1, cmd.size()).toArray(new String[0]);
        long left = WorkerOptions.parse(workerArgs, env).remainingLifetimeMillis();
        assertEquals(true, left > 0 && left <= 20_000, "left " + left);
        assertEquals(-1, WorkerOptions.parse(new String[] {"--connect", "h:1"}, env).remainingLifetimeMillis());
        assertEquals(false, spec.withLifetime(null).commandLine(3, true).contains(LaunchSpec.LIFETIME_OPTION));
        assertEquals(java.time.Duration.ofSeconds(5), spec.withWalltime(java.time.Duration.ofSeconds(5)).lifetime(),
                "the shorter of the walltime and the lifetime");
        assertEquals(java.time.Duration.ofSeconds(20), spec.withWalltime(java.time.Duration.ofSeconds(50)).lifetime());
        assertEquals(java.time.Duration.ofSeconds(20), spec.withHost("h").lifetime(), "copies keep it");
    }

    @Test
    void aBadLifetimeIsRefusedNamingTheOption() {
        IllegalArgumentException e = fails(env, "--connect", "h:1", "--lifetime-ms", "soon");
        assertEquals(true, e.getMessage().contains("--lifetime-ms"), e.getMessage());
    }
}
