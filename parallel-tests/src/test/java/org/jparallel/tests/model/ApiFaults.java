package org.jparallel.tests.model;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;

/**
 * The faults {@link ApiModel} brings on worker JVMs (kill -9, SIGSTOP/SIGCONT), and the wait for a closed
 * manager's workers to be gone before the program runs again: operating-system calls kept apart from the model.
 */
final class ApiFaults {
    private ApiFaults() {
    }

    /** The model kills a connected worker ({@code pick}) with kill -9. */
    static void kill(ApiModel m, int pick) {
        if (!m.managerClosed) {
            kill(connectedPid(m.manager(), pick), m.judge);
        }
    }

    /** The model kills a worker JVM still starting, if one is and another connected (see {@link #startingPid}). */
    static void killStarting(ApiModel m, int pick) {
        if (!m.managerClosed && kill(startingPid(m.manager(), pick), m.judge)) {
            ApiReach.startingKill();
        }
    }

    /** The model stops a connected worker with SIGSTOP for 300 ms, then lets it go on with SIGCONT. */
    static void pause(ApiModel m, int pick) {
        long pid = m.managerClosed ? -1 : connectedPid(m.manager(), pick);
        if (pid > 0) {
            m.judge.faulted(pid);
            m.blocking("SIGSTOP/SIGCONT of pid " + pid, () -> pause(pid));
        }
    }

    /** @return the pid of a connected worker ({@code pick} modulo their number), or -1 when none is connected */
    static long connectedPid(Manager manager, int pick) {
        List<Long> pids = manager.workers().stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED)
                .map(WorkerInfo::pid).toList();
        return pids.isEmpty() ? -1 : pids.get(pick % pids.size());
    }

    /**
     * @return the pid of a worker JVM this test started that has not connected yet ({@code pick} modulo their
     *     number: a child {@code java} process whose pid no worker of the manager reported), or -1 when none is
     *     starting or none connected yet (a failed start is replaced only in a group that has started a worker:
     *     killing the first starts would leave the tasks no worker). One that connects meanwhile may be picked
     *     too: {@link #kill} counts it as faulted either way.
     */
    static long startingPid(Manager manager, int pick) {
        List<WorkerInfo> workers = manager.workers();
        if (workers.stream().noneMatch(w -> w.state() == WorkerInfo.State.CONNECTED)) {
            return -1;
        }
        java.util.Set<Long> known = workers.stream().map(WorkerInfo::pid).filter(p -> p > 0)
                .collect(java.util.stream.Collectors.toSet());
        List<Long> pids = ProcessHandle.current().children()
                .filter(p -> p.isAlive() && !known.contains(p.pid())
                        && p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .map(ProcessHandle::pid).sorted().toList();
        return pids.isEmpty() ? -1 : pids.get(pick % pids.size());
    }

    /**
     * Kills the process of {@code pid} with SIGKILL, first telling the judge a task may be charged for it.
     *
     * @return whether there was one to kill ({@code pid} > 0)
     */
    static boolean kill(long pid, ApiJudge judge) {
        if (pid <= 0) {
            return false;
        }
        judge.faulted(pid);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        return true;
    }

    /** @return whether some worker of the manager is starting (or waiting for its wave) */
    static boolean anyStarting(Manager manager) {
        return manager.workers().stream().anyMatch(w -> w.state() == WorkerInfo.State.STARTING);
    }

    /** Stops the process with SIGSTOP for 300 ms, then lets it go on with SIGCONT. */
    static void pause(long pid) {
        signal("STOP", pid);
        try {
            Thread.sleep(300); // the fault's length, not a synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        signal("CONT", pid);
    }

    private static void signal(String signal, long pid) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("kill -" + signal + " " + pid, e);
        }
    }

    /**
     * Waits for this JVM's child processes (the worker JVMs of the manager just closed) to exit, killing those
     * still there after 20 s: no worker of an ended run starts a task when the program runs again.
     */
    static void awaitWorkersGone() {
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
