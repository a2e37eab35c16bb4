package org.jparallel.cli.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jparallel.WorkerInfo;

/**
 * The directory of a run's own under the temporary directory where its local workers (a run without a properties
 * file) write their output. The tasks' output is in the run's log, so the workers' files matter only when a worker
 * failed or was lost (its attempts' messages name them): the directory is removed after a run in which none was,
 * and kept, and named, otherwise (an empty one is removed too); one directory per run would otherwise pile up
 * under /tmp.
 */
final class WorkerOutputDir {
    private final Path dir;

    private WorkerOutputDir(Path dir) {
        this.dir = dir;
    }

    /** @return a new directory under the temporary directory */
    static WorkerOutputDir make() {
        try {
            return new WorkerOutputDir(Files.createTempDirectory("jparallel-run-workers-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for the workers' output: " + e.getMessage(), e);
        }
    }

    private boolean isEmpty() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    Path path() {
        return dir;
    }

    /**
     * @param workers the run's workers at its end ({@code null}: the run ended early, nothing is known of them)
     * @param err where to say that the directory is kept
     */
    void finish(List<WorkerInfo> workers, PrintStream err) {
        boolean trouble = workers == null || workers.stream()
                .anyMatch(w -> w.state() == WorkerInfo.State.FAILED || w.state() == WorkerInfo.State.LOST);
        if (trouble && !isEmpty()) {
            err.println("jparallel run: the local workers' output is kept in " + dir);
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            err.println("jparallel run: could not remove the workers' output directory " + dir + ": " + e);
        }
    }
}
