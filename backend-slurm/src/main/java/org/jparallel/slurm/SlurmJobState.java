package org.jparallel.slurm;

import java.util.Locale;
import java.util.Set;

/**
 * What a Slurm job state ({@code squeue %T}, {@code sacct State}) means to jparallel: still waiting,
 * running, or ended; and which pending reasons mean the job will never start by itself.
 */
public enum SlurmJobState {
    /** Queued ({@code PENDING}, {@code REQUEUED}, {@code SUSPENDED} ...); an unknown state also counts, left to the start timeout. */
    WAITING,
    /** Running or about to ({@code CONFIGURING}, {@code RUNNING}, {@code COMPLETING} ...). */
    RUNNING,
    /** Ended normally ({@code COMPLETED}). */
    COMPLETED,
    /** Ended with a non-zero exit code ({@code FAILED}). */
    FAILED,
    /** Killed at its time limit ({@code TIMEOUT}, {@code DEADLINE}). */
    TIMEOUT,
    /** Killed for using more memory than it asked for ({@code OUT_OF_MEMORY}). */
    OUT_OF_MEMORY,
    /** Cancelled by a user or an administrator ({@code CANCELLED}). */
    CANCELLED,
    /** Ended for another reason ({@code NODE_FAIL}, {@code BOOT_FAIL}, {@code PREEMPTED}, {@code REVOKED} ...). */
    OTHER_END;

    /**
     * Pending reasons after which a job never starts unless someone acts: a hold, or a request the
     * partition, account or QOS can never grant. Other reasons ({@code Resources}, {@code Priority},
     * {@code PartitionDown} ...) may pass, so they are left to the start timeout, whose message quotes them.
     */
    static final Set<String> HOPELESS_REASONS = Set.of("JobHeldUser", "JobHeldAdmin", "BadConstraints",
            "PartitionNodeLimit", "PartitionTimeLimit", "PartitionConfig", "InvalidAccount", "InvalidQOS",
            "AccountNotAllowed", "QOSNotAllowed", "DependencyNeverSatisfied", "launch failed requeued held");

    /**
     * @param state a state as squeue or sacct prints it ({@code RUNNING}, {@code CANCELLED by 0}, {@code R})
     * @return its meaning
     */
    public static SlurmJobState of(String state) {
        String s = state == null ? "" : state.strip().split("\\s+")[0].toUpperCase(Locale.ROOT);
        return switch (s) {
            case "CONFIGURING", "CF", "RUNNING", "R", "COMPLETING", "CG", "RESIZING", "RS", "SIGNALING", "SI",
                    "STAGE_OUT", "SO" -> RUNNING;
            case "COMPLETED", "CD" -> COMPLETED;
            case "FAILED", "F" -> FAILED;
            case "TIMEOUT", "TO", "DEADLINE", "DL" -> TIMEOUT;
            case "OUT_OF_MEMORY", "OOM" -> OUT_OF_MEMORY;
            case "CANCELLED", "CA" -> CANCELLED;
            case "NODE_FAIL", "NF", "BOOT_FAIL", "BF", "PREEMPTED", "PR", "REVOKED", "RV", "SPECIAL_EXIT", "SE" -> OTHER_END;
            default -> WAITING; // PENDING, REQUEUED, REQUEUE_HOLD, REQUEUE_FED, SUSPENDED, STOPPED, unknown
        };
    }

    /** @return true when the job has ended */
    public boolean ended() {
        return this != WAITING && this != RUNNING;
    }

    /**
     * @param state the state as printed
     * @param reason the pending reason as printed
     * @return true when a waiting job will not start unless someone acts (held, or a request that cannot
     *     be granted)
     */
    public static boolean hopeless(String state, String reason) {
        String s = state == null ? "" : state.strip();
        return of(s) == WAITING && (s.equals("REQUEUE_HOLD") || (reason != null && HOPELESS_REASONS.contains(reason.strip())));
    }
}
