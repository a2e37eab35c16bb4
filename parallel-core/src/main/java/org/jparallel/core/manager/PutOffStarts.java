package org.jparallel.core.manager;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.jparallel.spi.WorkerGroup;

/**
 * Starts the replacements {@link WorkerReplacements} grants, or puts them off while the manager has nothing to do (no
 * task waits, no worker holds one) until a task comes. A worker lost idle at the end of a run (a crash, its node
 * reclaimed, its lifetime over) was replaced at once, just before the program's close stopped the new one: a JVM
 * started for nothing, a batch job submitted and cancelled. One put off is counted among the workers to come, so a
 * reader does not take the manager for empty meanwhile, and started as soon as the dispatcher says tasks wait ({@link
 * org.jparallel.core.dispatch.DispatcherListener#workNeeded}). Used on the manager's loop only.
 */
final class PutOffStarts {
    private final BooleanSupplier idle;
    private final BiConsumer<WorkerGroup, Integer> start;
    private final AvailableWorkers available;
    private final Map<WorkerGroup, Integer> owed = new IdentityHashMap<>();

    /**
     * @param idle whether no task waits and no worker holds one (the dispatcher's view, read on the loop)
     * @param start starts so many workers of a group
     * @param available counts the workers to come
     */
    PutOffStarts(BooleanSupplier idle, BiConsumer<WorkerGroup, Integer> start, AvailableWorkers available) {
        this.idle = idle;
        this.start = start;
        this.available = available;
    }

    /**
     * A worker of {@code group} is to be replaced (its budget was taken).
     *
     * @return true when it was started now; false when put off until a task comes
     */
    boolean replace(WorkerGroup group) {
        if (!idle.getAsBoolean()) {
            start.accept(group, 1);
            return true;
        }
        owed.merge(group, 1, Integer::sum);
        available.starting(1); // to come: a reader waits for it rather than being told no worker is left
        return false;
    }

    /** Tasks wait: starts the replacements put off. */
    void workNeeded() {
        if (owed.isEmpty()) {
            return;
        }
        Map<WorkerGroup, Integer> due = new IdentityHashMap<>(owed);
        owed.clear();
        due.forEach((group, n) -> {
            start.accept(group, n); // counts them as starting
            available.starting(-n); // which they were already
        });
    }

    /** @return how many replacements are put off */
    int owed() {
        return owed.values().stream().mapToInt(Integer::intValue).sum();
    }
}
