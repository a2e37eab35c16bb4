package org.jparallel.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ends a process and every process it started, so that nothing it ran is left running: a worker's task that
 * started programs, a training JVM and its worker, a command's task. The descendants are listed before the
 * process ends (once it has, they are reparented and no longer its descendants), and again before the kill (it may
 * have started more during the grace period).
 */
public final class ProcessTrees {
    private ProcessTrees() {
    }

    /**
     * Asks the process and its descendants to terminate (SIGTERM), kills those still alive after the grace period
     * (SIGKILL), then waits for them to be gone.
     *
     * @param root the process
     * @param graceMillis how long they may take to exit after the polite request; 0 kills at once
     * @param waitMillis how long to wait for them to be gone after the kill
     * @return true when every one of them has ended; false when some still ran after the wait, or the waiting thread
     *     was interrupted (its interrupt flag is then set again)
     */
    public static boolean kill(ProcessHandle root, long graceMillis, long waitMillis) {
        List<ProcessHandle> tree = addTree(root, new ArrayList<>());
        try {
            if (graceMillis > 0) {
                tree.forEach(ProcessHandle::destroy);
                awaitGone(tree, graceMillis);
                addTree(root, tree); // it may have started more meanwhile
            }
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            awaitGone(tree, waitMillis);
        } catch (InterruptedException e) {
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
            return false;
        }
        return tree.stream().noneMatch(ProcessHandle::isAlive);
    }

    /** @return {@code tree} with the root and its descendants added (those not in it yet), the root last */
    private static List<ProcessHandle> addTree(ProcessHandle root, List<ProcessHandle> tree) {
        try {
            root.descendants().filter(h -> !tree.contains(h)).forEach(tree::add);
        } catch (RuntimeException e) {
            // those listed before, then
        }
        if (!tree.contains(root)) {
            tree.add(root);
        }
        return tree;
    }

    /** Waits until every process has ended or the time is up. */
    private static void awaitGone(List<ProcessHandle> tree, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return;
            }
        }
    }
}
