package org.jparallel;

import java.io.Serializable;

/**
 * The expensive preparation shared by the tasks of a context (load a model, a structure, a data
 * set). It runs on a worker once per context, before that worker's first task of the context; its
 * result stays cached on the worker and is handed to every task of the context the worker runs.
 *
 * @param <S> the type of the prepared state; it never travels back to the manager
 */
@FunctionalInterface
public interface Setup<S> extends Serializable {
    /**
     * Prepares the state for the context's tasks on this worker.
     *
     * @return the state handed to each task
     * @throws Exception any failure; the tasks of the context on this worker then fail with it
     */
    S setup() throws Exception;
}
