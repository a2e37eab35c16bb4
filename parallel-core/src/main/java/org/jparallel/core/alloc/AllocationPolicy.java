package org.jparallel.core.alloc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jparallel.Allocation;

/**
 * The rule of automatic allocation, as a pure function of a group's {@link Allocation} and a {@link
 * GroupSnapshot}: no clock, no state, so every case can be tested with made-up times.
 *
 * <ul>
 * <li><b>Submit</b> while tasks wait (or the group is below {@code min}): the group wants one worker per
 *     busy worker and per waiting task, between {@code min} and {@code max}; it submits what it lacks
 *     at once (a worker ending soon counts as gone, so a busy one is replaced before it goes), and at
 *     least one worker per task waiting for a longer-lived worker that no pending worker covers (no
 *     connected worker can take such a task; a fresh one lives its whole walltime), within {@code max}
 *     and {@code maxPending}, but no sooner than {@code minInterval} after
 *     its last submission or release. After failed starts the interval doubles per failure (at most
 *     64 times); a group whose workers failed to start {@link #FAILED_STARTS_TO_STOP} times in a row
 *     while none ever connected is stopped (it cannot start workers; a dry run ends here).</li>
 * <li><b>Release</b> when no task waits: each connected worker idle for {@code idleTimeout} or more, the
 *     longest idle first, while more than {@code min} stay connected (workers ending soon are not counted:
 *     they leave by themselves). When the only tasks waiting wait for a longer-lived worker and the group
 *     is at {@code max}, idle workers (which cannot take them) are released at once to make room for
 *     fresh ones.</li>
 * </ul>
 */
public final class AllocationPolicy {
    /** Failed starts in a row, none ever connected, after which a group stops allocating. */
    public static final int FAILED_STARTS_TO_STOP = 3;
    private static final int MAX_BACKOFF_SHIFT = 6;

    private AllocationPolicy() {
    }

    /**
     * @param config the group's limits
     * @param s the group now
     * @return what to do now, possibly nothing
     */
    public static List<Decision> decide(Allocation config, GroupSnapshot s) {
        if (!s.everConnected() && s.failedStartsInARow() >= FAILED_STARTS_TO_STOP) {
            return List.of(Decision.stop(s.failedStartsInARow() + " worker(s) failed to start in a row and none ever"
                    + " connected, so the group is taken to be unable to start workers; see a worker's output"));
        }
        List<Decision> out = new ArrayList<>();
        if (s.tasksWaiting() == 0) {
            releases(config, s, config.idleTimeout().toNanos(), null, out);
        } else if (s.tasksWaiting() == s.tasksWaitingForLongerLife() && shortOfRoomForLongerLife(config, s) > 0) {
            releases(config, s, 0, s.tasksWaitingForLongerLife() + " task(s) wait for a longer-lived worker than"
                    + " this idle one, and the group is at max " + config.max(), out);
        }
        Decision submit = submission(config, s);
        if (submit != null) {
            out.add(submit);
        }
        return out;
    }

    /**
     * @param timeout how long a worker must have been idle
     * @param cause why idle workers go now instead of after the idle timeout, or {@code null}
     */
    private static void releases(Allocation config, GroupSnapshot s, long timeout, String cause,
                                 List<Decision> out) {
        int staying = s.connected().size() - s.endingSoon();
        int releasable = (int) Math.min(staying - config.min(), cause == null ? Integer.MAX_VALUE
                : shortOfRoomForLongerLife(config, s));
        if (releasable <= 0) {
            return;
        }
        List<GroupSnapshot.Worker> idle = new ArrayList<>();
        for (GroupSnapshot.Worker w : s.connected()) {
            if (!w.busy() && !w.endingSoon() && s.nowNanos() - w.idleSinceNanos() >= timeout) {
                idle.add(w);
            }
        }
        idle.sort(Comparator.comparingLong(GroupSnapshot.Worker::idleSinceNanos).thenComparingInt(GroupSnapshot.Worker::id));
        for (int i = 0; i < idle.size() && i < releasable; i++) {
            GroupSnapshot.Worker w = idle.get(i);
            String why = cause != null ? cause : "idle for " + seconds(s.nowNanos() - w.idleSinceNanos())
                    + " (idle-timeout " + seconds(timeout) + ") and no task waiting";
            out.add(Decision.release(w.id(), why + "; " + (staying - i) + " connected, min " + config.min()));
        }
    }

    /**
     * @return how many tasks waiting for a longer life get no fresh worker because the group is at
     *     {@code max}: no pending worker covers them and max leaves no room to submit for them
     */
    private static long shortOfRoomForLongerLife(Allocation config, GroupSnapshot s) {
        int alive = s.alive();
        long uncovered = Math.max(0, s.tasksWaitingForLongerLife() - s.pending());
        return Math.max(0, uncovered - Math.max(0, config.max() - alive));
    }

    private static Decision submission(Allocation config, GroupSnapshot s) {
        int connected = s.connected().size();
        int ending = s.endingSoon();
        int alive = s.alive(); // a worker ending soon is replaced before it goes, a pending one too
        long demand = Math.min((long) config.max(), s.busy() + s.tasksWaiting());
        int target = (int) Math.max(config.min(), demand);
        int room = Math.min(config.maxPending() - s.pending(), config.max() - alive);
        long forLongerLife = s.tasksWaitingForLongerLife() - s.pending(); // only fresh workers can take them
        int n = (int) Math.min(Math.max(target - alive, forLongerLife), room);
        if (n <= 0) {
            return null;
        }
        long last = Math.max(s.lastSubmitNanos(), s.lastReleaseNanos());
        long interval = config.minInterval().toNanos() << Math.min(s.failedStartsInARow(), MAX_BACKOFF_SHIFT);
        if (last != GroupSnapshot.NEVER && s.nowNanos() - last < interval) {
            return null;
        }
        String why = s.tasksWaiting() > 0 ? s.tasksWaiting() + " task(s) waiting" + (s.tasksWaitingForLongerLife() > 0
                ? " (" + s.tasksWaitingForLongerLife() + " waiting for a longer-lived worker)" : "")
                : alive < config.min() ? "below min " + config.min()
                : ending + s.pendingEndingSoon() + " worker(s) ending soon";
        return Decision.submit(n, why + "; " + connected + " connected (" + s.busy() + " busy"
                + (ending > 0 ? ", " + ending + " ending soon" : "") + "), " + s.pending()
                + " pending" + (s.pendingEndingSoon() > 0 ? " (" + s.pendingEndingSoon() + " to end soon after they"
                + " connect, by the recent starts)" : "") + "; want " + target + " (min " + config.min() + ", max " + config.max() + ", max-pending "
                + config.maxPending() + ")" + (s.failedStartsInARow() > 0 ? "; " + s.failedStartsInARow()
                + " failed start(s) in a row, so at least " + seconds(interval) + " between submissions" : ""));
    }

    private static String seconds(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
