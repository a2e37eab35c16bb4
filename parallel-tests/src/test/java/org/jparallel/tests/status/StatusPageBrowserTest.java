package org.jparallel.tests.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jparallel.WorkerInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser: headless Chromium (Debian's {@code chromium}) loads the page of
 * a running job, runs its script (which fetches {@code /status.json}) and dumps the DOM, which must
 * show both workers and the done count. Skipped without Chromium, except in CI ({@code CI=true}),
 * where it fails: {@code scripts/chromium-up.sh} installs it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StatusPageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path tempDir;

    @BeforeAll
    static void needsChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            String msg = "Chromium is not installed: run scripts/chromium-up.sh";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
    }

    @Test
    void pageOfARunningJobShowsBothWorkersAndTheDoneCount() throws Exception {
        try (RunningJob job = new RunningJob(tempDir)) {
            String dom = dumpDom(job.baseUrl + "/");
            List<WorkerInfo> workers = job.manager.workers();
            assertEquals(2, workers.size());
            for (WorkerInfo w : workers) {
                String row = row(dom, w.id());
                assertTrue(row.contains(">" + w.pid() + "</td>"), "pid " + w.pid() + " in row " + row);
                assertTrue(row.contains(">CONNECTED</td>"), "state in row " + row);
                assertTrue(row.contains(">" + w.host() + "</td>"), "host " + w.host() + " in row " + row);
            }
            assertEquals(String.valueOf(RunningJob.QUICK), text(dom, "tasks-done"), dom);
            assertEquals(String.valueOf(RunningJob.LONG), text(dom, "tasks-running"), dom);
            assertEquals("0", text(dom, "tasks-waiting"), dom);
            assertEquals("2 / 2", text(dom, "workers-connected"), dom);
        }
    }

    /** @return the DOM after the page's script ran for up to 3 s of virtual time */
    private String dumpDom(String url) throws Exception {
        Path profile = Files.createDirectories(tempDir.resolve("chromium-profile"));
        Path out = tempDir.resolve("dom.html");
        Path err = tempDir.resolve("chromium.err");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=3000", "--dump-dom", url)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 90 s; stderr:\n" + Files.readString(err));
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || !dom.contains("</html>")) {
            fail("chromium exited with " + p.exitValue() + "; stdout:\n" + dom + "\nstderr:\n" + Files.readString(err));
        }
        return dom;
    }

    private static String row(String dom, int workerId) {
        Matcher m = Pattern.compile("<tr id=\"worker-" + workerId + "\">(.*?)</tr>", Pattern.DOTALL).matcher(dom);
        if (!m.find()) {
            fail("no row for worker " + workerId + " in the DOM:\n" + dom);
        }
        return m.group(1);
    }

    private static String text(String dom, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(dom);
        if (!m.find()) {
            fail("no element #" + id + " in the DOM:\n" + dom);
        }
        return m.group(1).trim();
    }
}
