package org.jparallel.core.dispatch;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * A model-based, randomized test of the dispatcher alone (issue 18): random sequences of workers joining, being
 * lost and answering (results, exceptions, halts) in any interleaving, contexts opened and closed, tasks added
 * with and without time limits, cancels, time passing, and shutdown, checked after every step against
 * {@link DispatcherModel}. No sockets, no threads: thousands of sequences run in seconds.
 *
 * <p>The number of sequences is the system property {@value #SEQUENCES} (default {@value #DEFAULT_SEQUENCES}),
 * the most actions in one {@value #ACTIONS} (default 40). A failure prints its seed and the shrunk sequence;
 * rerun it with {@code -Djqwik.seeds.default=SEED} or by rerunning the test (jqwik retries the failing seed first).
 */
class DispatcherModelTest {
    static final String SEQUENCES = "jparallel.model.dispatcher.sequences";
    static final String ACTIONS = "jparallel.model.dispatcher.actions";
    static final int DEFAULT_SEQUENCES = 3000;
    static final AtomicLong SEQUENCES_RUN = new AtomicLong();
    static final AtomicLong ACTIONS_RUN = new AtomicLong();

    @Property
    @AddLifecycleHook(Budget.class)
    void everyTaskEndsOnceForItsReasonAndNothingIsDropped(@ForAll("sequences") ActionChain<DispatcherModel> chain) {
        chain.withInvariant("the dispatcher keeps the model's promises", DispatcherModel::check)
                .peek(s -> ACTIONS_RUN.incrementAndGet())
                .run()
                .settle();
    }

    @Provide
    Arbitrary<ActionChain<DispatcherModel>> sequences() {
        int actions = Integer.getInteger(ACTIONS, 40);
        return Combinators.combine(Arbitraries.of(1, 1, 2, 4), Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(0, 1))
                .flatAs((prefetch, maxLost, retries) -> chain(prefetch, maxLost, retries, actions));
    }

    private static ActionChainArbitrary<DispatcherModel> chain(int prefetch, int maxLost, int retries, int actions) {
        return ActionChain.<DispatcherModel>startWith(() -> {
                    SEQUENCES_RUN.incrementAndGet();
                    DispatcherModel m = new DispatcherModel(prefetch, maxLost, retries);
                    m.openContext(false);
                    return m;
                })
                .withAction(3, when(s -> !s.shutDown && s.workers.size() < 4,
                        s -> Arbitraries.just(mutate("a worker connects", DispatcherModel::connect))))
                .withAction(2, when(s -> !s.workers.isEmpty(), s -> Arbitraries.of(List.copyOf(s.workers.keySet()))
                        .flatMap(id -> Arbitraries.of(
                                mutate("worker " + id + " is killed (kill -9)", m -> m.lose(id, "killed")),
                                mutate("worker " + id + "'s running task halts its JVM", m -> m.lose(id, "halted"))))))
                .withAction(12, when(s -> !s.busyWorkers().isEmpty(), s -> Arbitraries.of(s.busyWorkers())
                        .flatMap(id -> Arbitraries.of(
                                mutate("worker " + id + " returns its running task's result", m -> m.answer(id, true)),
                                mutate("worker " + id + " returns its running task's result", m -> m.answer(id, true)),
                                mutate("worker " + id + " reports its running task threw", m -> m.answer(id, false))))))
                .withAction(1, when(s -> s.contexts.size() < 4, s -> Arbitraries.of(
                        mutate("open a context with a setup", m -> m.openContext(true)),
                        mutate("open a context without setup", m -> m.openContext(false)))))
                .withAction(1, when(s -> !s.openContexts().isEmpty(), s -> Arbitraries.of(s.openContexts())
                        .map(c -> mutate("close context " + c, m -> m.closeContext(c)))))
                .withAction(6, when(s -> !s.contexts.isEmpty(), s -> Combinators.combine(
                        Arbitraries.of(List.copyOf(s.contexts.keySet())), Arbitraries.integers().between(1, 6),
                        Arbitraries.of(0L, 0L, 0L, 100L, 1000L))
                        .as((c, n, limit) -> mutate("add " + n + " task(s) to context " + c
                                + (limit > 0 ? " with a limit of " + limit + " ms" : ""), m -> m.submit(c, n, limit)))))
                .withAction(2, when(s -> !s.cancellable().isEmpty(), s -> Combinators.combine(
                        Arbitraries.of(s.cancellable()), Arbitraries.of(true, false))
                        .as((t, interrupt) -> mutate("cancel task " + t + (interrupt ? " (interrupt)" : ""),
                                m -> m.cancel(t, interrupt)))))
                .withAction(2, when(s -> true, s -> Arbitraries.of(10L, 100L, 500L, 1000L, 5000L, 6000L)
                        .map(ms -> mutate(ms + " ms pass", m -> m.advance(ms)))))
                .withAction(1, when(s -> true, s -> Arbitraries.just(mutate("every worker answers everything",
                        DispatcherModel::settle))))
                .withAction(1, when(s -> !s.shutDown && s.tasks.size() > 3, s -> Arbitraries.just(
                        mutate("the manager shuts down", DispatcherModel::shutdown))))
                .withMaxTransformations(actions);
    }

    private static Transformer<DispatcherModel> mutate(String description, java.util.function.Consumer<DispatcherModel> c) {
        return Transformer.mutate(description, c);
    }

    private static Action.Dependent<DispatcherModel> when(Predicate<DispatcherModel> precondition,
            Function<DispatcherModel, Arbitrary<Transformer<DispatcherModel>>> transformer) {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(DispatcherModel state) {
                return precondition.test(state);
            }

            @Override
            public Arbitrary<Transformer<DispatcherModel>> transformer(DispatcherModel state) {
                return transformer.apply(state);
            }
        };
    }

    /** Sets the number of sequences from {@value #SEQUENCES} and prints a summary line a campaign script reads. */
    public static final class Budget implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            context.attributes().setTries(Integer.getInteger(SEQUENCES, DEFAULT_SEQUENCES));
            long start = System.nanoTime();
            PropertyExecutionResult result = property.execute();
            System.out.println("MODEL-CAMPAIGN level=dispatcher sequences=" + SEQUENCES_RUN.get() + " actions="
                    + ACTIONS_RUN.get() + " status=" + result.status() + " seed=" + result.seed().orElse("?")
                    + " seconds=" + (System.nanoTime() - start) / 1_000_000_000);
            return result;
        }
    }
}
