package org.jparallel.tests.status;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.local.LocalWorker;

/**
 * A job caught in the middle, for the status page tests: a manager with its status page on a free
 * loopback port and two local workers, which ran {@value #QUICK} quick tasks and now each hold one
 * long task that ends only when the test {@link #close() closes} the job.
 */
final class RunningJob implements AutoCloseable {
    static final int QUICK = 6;
    static final int LONG = 2;

    final Manager manager;
    final String baseUrl;
    private final Path release;
    private final Context<Void, Integer> ctx;

    RunningJob(Path dir) throws Exception {
        release = dir.resolve("release");
        manager = Manager.builder().bindAddress("127.0.0.1")
                .outputPattern(dir.resolve("worker%d.output").toString())
                .statusPort(0)
                .build();
        baseUrl = "http://127.0.0.1:" + manager.statusAddress().orElseThrow().getPort();
        manager.addWorker(new LocalWorker(2));
        ctx = manager.getContext();
        for (int i = 0; i < QUICK; i++) {
            int k = i;
            ctx.addTask(s -> k);
        }
        String releasePath = release.toString();
        for (int i = 0; i < LONG; i++) {
            int k = QUICK + i;
            ctx.addTask(s -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (!Files.exists(Path.of(releasePath)) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                return k;
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (manager.stats().tasksSucceeded() < QUICK || running() < LONG) {
            for (WorkerInfo w : manager.workers()) {
                if (w.state() == WorkerInfo.State.FAILED) {
                    fail("worker " + w.id() + " failed: " + w.detail());
                }
            }
            if (System.nanoTime() > deadline) {
                fail("the job did not reach " + QUICK + " done and " + LONG + " running in 60 s: " + manager.stats()
                        + " " + manager.workers());
            }
            Thread.sleep(20);
        }
    }

    private long running() {
        var s = manager.stats();
        return s.tasksSubmitted() - s.tasksSucceeded() - s.tasksFailed() - s.tasksWaiting();
    }

    /** @return the body of a GET of {@code path}, failing on any status but 200 */
    String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            fail("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Lets the long tasks end, reads every result and closes the manager. */
    @Override
    public void close() throws Exception {
        try {
            Files.writeString(release, "go");
            List<Integer> results = new ArrayList<>();
            for (Integer r : ctx.getResultsUnordered()) {
                results.add(r);
            }
            if (results.size() != QUICK + LONG) {
                fail("expected " + (QUICK + LONG) + " results, got " + results);
            }
        } finally {
            manager.close();
        }
    }
}
