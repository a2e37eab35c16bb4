package org.jparallel.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jparallel.Context;
import org.jparallel.TaskFuture;

/**
 * Tasks held on real workers until the test releases them: each notes its worker's pid in a "started"
 * file and waits (up to a minute) for a release file to appear. Lets a test keep workers busy and know
 * when they are, without sleeping.
 */
final class HeldTasks {
    private final Path started;
    private final Path release;

    /** Tasks that note their start in {@code dir/started.txt} and wait for {@code dir/release}. */
    HeldTasks(Path dir) {
        this(dir.resolve("started.txt"), dir.resolve("release"));
    }

    HeldTasks(Path started, Path release) {
        this.started = started;
        this.release = release;
    }

    /** Adds one held task to {@code ctx}. @return its future */
    TaskFuture<Long> add(Context<Void, Long> ctx) {
        String startedFile = started.toString();
        String releaseFile = release.toString();
        return ctx.addTask(s -> WorkerSide.startThenAwaitRelease(startedFile, releaseFile, 60_000));
    }

    /** Waits (up to 30 s) until {@code n} held tasks have started; fails with {@code what} otherwise. */
    void awaitStarted(int n, String what) {
        TestSupport.pollUntil(Duration.ofSeconds(30), () -> started().size() >= n,
                () -> what + "; started: " + started());
    }

    /** @return the pids noted by the held tasks that have started */
    List<String> started() {
        return TestSupport.lines(started);
    }

    /** Lets every held task (those started and those to come) return. */
    void release() throws IOException {
        Files.createFile(release);
    }
}
