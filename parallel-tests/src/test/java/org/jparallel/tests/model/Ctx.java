package org.jparallel.tests.model;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.Context;

/**
 * A context of {@link ApiModel} in the program's current run, and the tasks added to it in that run, in the order
 * added (its sequence order). With a journal it is named {@code c<id>}, so that a restart finds it again; {@code
 * withSetup} says how to make it again there (the journal refuses a context whose setup changed).
 */
final class Ctx {
    final int id;
    final Context<Object, Object> context;
    final boolean withSetup;
    final List<ApiTask> tasks = new ArrayList<>();
    boolean closed;

    Ctx(int id, Context<Object, Object> context, boolean withSetup) {
        this.id = id;
        this.context = context;
        this.withSetup = withSetup;
    }
}
