package org.jparallel.core.alloc;

import org.jparallel.AllocationDecision.Kind;

/**
 * What the allocation policy decided for a group, before the allocator stamps it with the time and
 * the group's name.
 *
 * @param kind submit, release or stop
 * @param workers how many workers to submit, or 1
 * @param workerId the worker to release, or -1
 * @param reason why, with the figures it was made from
 */
public record Decision(Kind kind, int workers, int workerId, String reason) {

    static Decision submit(int n, String reason) {
        return new Decision(Kind.SUBMIT, n, -1, reason);
    }

    static Decision release(int workerId, String reason) {
        return new Decision(Kind.RELEASE, 1, workerId, reason);
    }

    static Decision stop(String reason) {
        return new Decision(Kind.STOP, 0, -1, reason);
    }
}
