package org.jparallel;

import java.time.Instant;

/**
 * One decision of automatic allocation (see {@link Allocation}), kept so users and the status page
 * can see why workers came and went.
 *
 * @param time when it was made
 * @param group the worker group's name
 * @param kind what was decided
 * @param workers how many workers it concerns (submitted), or 1
 * @param workerId the worker released, or -1
 * @param reason why, in a sentence with the figures it was made from
 */
public record AllocationDecision(Instant time, String group, Kind kind, int workers, int workerId, String reason) {

    /** What automatic allocation can decide. */
    public enum Kind {
        /** Start more workers of the group. */
        SUBMIT,
        /** Let an idle worker go: it is told to exit and its job ends. */
        RELEASE,
        /** Stop allocating for the group (its workers cannot start). */
        STOP
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case SUBMIT -> "submit " + workers + " worker(s)";
            case RELEASE -> "release worker " + workerId;
            case STOP -> "stop allocating";
        };
        return "group " + group + ": " + what + ": " + reason;
    }
}
