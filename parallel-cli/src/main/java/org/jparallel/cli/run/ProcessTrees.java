package org.jparallel.cli.run;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Ends a process and every process it started, so that a killed task leaves nothing running. */
final class ProcessTrees {
    private ProcessTrees() {
    }

    /**
     * Asks the process and its descendants to terminate, then kills those still alive after the grace period.
     *
     * @param root the process
     * @param graceMillis how long they may take to exit after the polite request; 0 kills at once
     */
    static void kill(ProcessHandle root, long graceMillis) {
        // the descendants first, while they are still the root's: once the root dies they are reparented
        List<ProcessHandle> tree = root.descendants().collect(Collectors.toList());
        tree.add(root);
        if (graceMillis > 0) {
            tree.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
            for (ProcessHandle h : tree) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (Exception e) {
                    break; // timed out: the rest are killed below
                }
            }
        }
        // a process may have started more children during the grace period
        root.descendants().forEach(tree::add);
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
