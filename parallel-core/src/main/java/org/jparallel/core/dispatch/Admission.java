package org.jparallel.core.dispatch;

/**
 * The dispatcher's answer to an authenticated worker that asks to join.
 *
 * @param workerId the id the worker is known by from now on, or -1 when rejected
 * @param rejection why it was rejected, or {@code null} when admitted
 * @param expected whether the rejection is part of a normal close (one of the manager's own workers, still starting
 *     when the manager began to close, connects late): nothing to warn anyone about
 */
public record Admission(int workerId, String rejection, boolean expected) {
    /** An admission, or a rejection to report. */
    public Admission(int workerId, String rejection) {
        this(workerId, rejection, false);
    }

    /** @return true when the worker was admitted */
    public boolean admitted() {
        return rejection == null;
    }
}
