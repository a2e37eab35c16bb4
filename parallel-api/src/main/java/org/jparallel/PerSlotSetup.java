package org.jparallel;

/**
 * A {@link Setup} whose result is made once per task slot of a worker instead of once per worker: for
 * state that is not thread-safe (a parser, a solver, a buffer), which the tasks running at once on a
 * worker with several slots must not share. Each slot runs it before its first task of the context
 * and keeps its own result. On a worker with one slot it is an ordinary setup. A lambda becomes one
 * by its target type: {@code manager.context((PerSlotSetup<Parser>) Parser::new)}.
 *
 * @param <S> the type of the prepared state
 */
@FunctionalInterface
public interface PerSlotSetup<S> extends Setup<S> {
}
