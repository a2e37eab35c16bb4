package org.jparallel.core.dispatch;

/**
 * Whether a task's request for cpus (task slots) could ever be met: the most slots a worker of any
 * group has, as the groups declared when they were added, or as a worker reported when it joined. A
 * request above it fails at once instead of waiting for ever, as a task longer than any worker's
 * lifetime does ({@link WorkerLifetimes#neverFits}). A group whose workers count their own cores
 * ({@code auto}) could have any number, so while there is one nothing is refused. Used only on the
 * dispatcher thread.
 */
final class SlotFit {
    private int most;
    private boolean anyGroup;
    private boolean anyUnknown;

    /** @param slots each worker's slots, or 0 when they are not known before the workers join ({@code auto}) */
    void groupAdded(int slots) {
        anyGroup = true;
        if (slots <= 0) {
            anyUnknown = true;
        }
        most = Math.max(most, slots);
    }

    /** A worker joined with this many slots. */
    void workerJoined(int slots) {
        most = Math.max(most, slots);
    }

    /** @return why no worker could ever run a task asking for {@code cpus}, or {@code null} when one could (or may) */
    String neverFits(int cpus) {
        if (cpus <= 1 || !anyGroup || anyUnknown || cpus <= most) {
            return null;
        }
        return "it asks for " + cpus + " cpus (TaskOptions.withCpus), more than any worker has: the most task slots"
                + " of a worker is " + most + ". Ask for fewer, or give workers more slots (LocalWorker.slots,"
                + " the batch groups' slots, jparallel.worker.slots)";
    }
}
