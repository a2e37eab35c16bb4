package org.jparallel.tests.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.tests.TestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A manager with two addresses, a worker that can reach only one of them: the worker, in its own
 * network namespace, is given both (the unreachable one first), tries them at once, and connects
 * through the second by itself, without waiting for the first to time out.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiHomedManagerTest {
    /** Each connect attempt gives up after this long; a worker that waited for the first address would take longer. */
    private static final long SEQUENTIAL_CONNECT_MILLIS = 5000;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void network() {
        ProbeNetwork.up();
    }

    @AfterAll
    static void cleanUp() {
        ProbeNetwork.down();
    }

    /** @return our two namespace-facing addresses from those the core offers, the unreachable one first */
    private static List<String> ours(List<String> offered) {
        List<String> out = new ArrayList<>();
        for (String host : List.of(ProbeNetwork.UNREACHABLE_ADDRESS, ProbeNetwork.REACHABLE_ADDRESS)) {
            offered.stream().filter(a -> a.startsWith(host + ":")).forEach(out::add);
        }
        return out;
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aWorkerThatReachesOnlyTheSecondAddressConnectsThroughItByItself(boolean tls) throws Exception {
        NamespaceWorkerGroup group = new NamespaceWorkerGroup(MultiHomedManagerTest::ours);
        try (Manager manager = Manager.builder().outputPattern(tempDir.resolve("worker%d.output").toString())
                .startTimeout(Duration.ofSeconds(60)).tls(tls).build()) {
            manager.addWorker(group);
            Context<Void, String> ctx = manager.<String>getContext();
            ctx.addTask(s -> NetworkInterface.networkInterfaces()
                    .flatMap(NetworkInterface::inetAddresses)
                    .map(a -> a.getHostAddress())
                    .collect(Collectors.joining(" ")));
            List<String> results = new ArrayList<>();
            ctx.getResultsUnordered().forEach(results::add);

            assertEquals(1, results.size());
            assertTrue(results.get(0).contains("10.231.79.2") && !results.get(0).contains("192.0.2."),
                    "the task did not run inside the namespace " + ProbeNetwork.NAMESPACE + ": " + results.get(0));

            List<String> offered = group.offered.get(0);
            int port = manager.listenAddress().getPort();
            String unreachable = ProbeNetwork.UNREACHABLE_ADDRESS + ":" + port;
            String reachable = ProbeNetwork.REACHABLE_ADDRESS + ":" + port;
            assertTrue(offered.contains(unreachable) && offered.contains(reachable),
                    "the manager did not offer both of its addresses to a remote worker: " + offered);

            List<WorkerInfo> workers = manager.workers();
            assertEquals(1, workers.size(), workers.toString());
            WorkerInfo w = workers.get(0);
            assertEquals(1, w.tasksCompleted(), w.toString());

            // a worker writes what it logged before its first result just after it (WorkerLogs): wait for its lines
            Path output = tempDir.resolve("worker" + w.id() + ".output");
            TestSupport.pollUntil(Duration.ofSeconds(30), () -> read(output).contains("using this address"),
                    () -> "the worker's early lines never reached its output:\n" + read(output));
            String log = read(output);
            assertTrue(log.contains("connecting to [" + unreachable + ", " + reachable + "]"),
                    "the worker was not given both addresses, unreachable first:\n" + log);
            Matcher won = Pattern.compile("try " + Pattern.quote(reachable)
                    + " \\(round (\\d+)\\): connected in \\d+ ms, handshake complete in (\\d+) ms; using this address")
                    .matcher(log);
            if (!won.find()) {
                fail("the worker did not log its win through " + reachable + ":\n" + log);
            }
            assertEquals("1", won.group(1), "the worker needed more than one round:\n" + log);
            long ms = Long.parseLong(won.group(2));
            assertTrue(ms < SEQUENTIAL_CONNECT_MILLIS, "the handshake took " + ms
                    + " ms: the worker waited for the unreachable address instead of trying both at once\n" + log);
            assertTrue(log.contains("try " + unreachable + " (round 1): abandoned while connecting"),
                    "the worker did not log the unreachable address's try as abandoned:\n" + log);
            assertFalse(log.contains("refused"), "a refusal in the worker's log:\n" + log);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
