package org.jparallel.core.dispatch;

/**
 * The dispatcher's answer to an authenticated worker that asks to join.
 *
 * @param workerId the id the worker is known by from now on, or -1 when rejected
 * @param rejection why it was rejected, or {@code null} when admitted
 */
public record Admission(int workerId, String rejection) {
    /** @return true when the worker was admitted */
    public boolean admitted() {
        return rejection == null;
    }
}
