package org.jparallel.sge;

/**
 * What a Grid Engine state code ({@code qw}, {@code hqw}, {@code r}, {@code t}, {@code Eqw}, {@code dr}
 * ...) means to jparallel.
 */
public enum SgeJobState {
    /** Waiting in the queue, possibly on hold ({@code qw}, {@code hqw}, {@code hRwq}). */
    PENDING,
    /** Being transferred to or running on an execution host ({@code t}, {@code r}, {@code Rr}). */
    RUNNING,
    /** Suspended ({@code s}, {@code S}, {@code T}): still holds its slot. */
    SUSPENDED,
    /** Being deleted ({@code dr}, {@code dt}, {@code dqw}). */
    DELETING,
    /** In error ({@code Eqw}, {@code E}): it will not run until someone clears it. */
    ERROR;

    /**
     * @param code a state code as qstat prints it
     * @return its meaning; an unknown code counts as pending, so it is left to the start timeout
     */
    public static SgeJobState of(String code) {
        String c = code == null ? "" : code.strip();
        if (c.indexOf('E') >= 0) {
            return ERROR;
        }
        if (c.indexOf('d') >= 0) {
            return DELETING;
        }
        if (c.indexOf('s') >= 0 || c.indexOf('S') >= 0 || c.indexOf('T') >= 0) {
            return SUSPENDED;
        }
        if (c.indexOf('r') >= 0 || c.indexOf('t') >= 0) {
            return RUNNING;
        }
        return PENDING;
    }
}
