package org.jparallel.sge;

import java.util.List;

/** Ends Grid Engine tasks: a batched {@code qdel}, or DRMAA's {@code control(TERMINATE)}. */
interface TaskKiller {
    /** Ends the tasks, queued or running, and returns once the request is made. Never throws. */
    void kill(List<TaskKey> tasks);
}
