package org.jparallel.tests.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;
import org.jparallel.tests.model.ApiTask.Kind;

/**
 * A model-based, randomized test of jparallel's public API with real worker JVMs (issue 18): random sequences of
 * getContext (with and without setup), addTask (tasks that return, throw, sleep, run past a time limit or halt
 * their JVM), map and mapUnordered, iteration (ordered, unordered, through futures, breaking out early), cancel,
 * context and manager close, and faults (kill -9, SIGSTOP/SIGCONT of a worker), checked by {@link ApiModel}.
 *
 * <p>The number of sequences is the system property {@value #SEQUENCES} (default {@value #DEFAULT_SEQUENCES}),
 * the most actions in one {@value #ACTIONS} (default 16). A failure prints its seed and the shrunk sequence.
 */
class ApiModelTest {
    static final String SEQUENCES = "jparallel.model.api.sequences";
    static final String ACTIONS = "jparallel.model.api.actions";
    static final int DEFAULT_SEQUENCES = 20;
    static final AtomicLong SEQUENCES_RUN = new AtomicLong();
    static final AtomicLong ACTIONS_RUN = new AtomicLong();
    private static final Arbitrary<Kind> KINDS = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(12, Arbitraries.just(Kind.VALUE)), net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.THROWS)),
            net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.SLEEPS_BRIEFLY)), net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.SLEEPS_LONG)),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.QUICK_WITH_LIMIT)), net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.OVER_LIMIT)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.HALTS)));
    /** Halting tasks are rare: each costs a worker JVM per lost-worker attempt, seconds on a loaded machine. */
    private static final Arbitrary<Kind> MAP_KINDS = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(30, Arbitraries.just(Kind.VALUE)), net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.SLEEPS_BRIEFLY)),
            net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.THROWS)), net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.HALTS)));

    private ApiModel current;

    @Property
    @AddLifecycleHook(Budget.class)
    void everyTaskEndsOnceForItsReasonAndIteratorsKeepTheirContract(
            @ForAll("sequences") ActionChain<ApiModel> chain) {
        chain.withInvariant("jparallel keeps the model's promises", ApiModel::check)
                .peek(s -> ACTIONS_RUN.incrementAndGet())
                .run()
                .settle();
    }

    @AfterTry
    void closeManager() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Provide
    Arbitrary<ActionChain<ApiModel>> sequences() {
        int actions = Integer.getInteger(ACTIONS, 16);
        return Combinators.combine(Arbitraries.of(0, 1, 4), Arbitraries.of(1, 1, 2))
                .flatAs((prefetch, maxLost) -> chain(prefetch, maxLost, actions));
    }

    private ActionChainArbitrary<ApiModel> chain(int prefetch, int maxLost, int actions) {
        return ActionChain.<ApiModel>startWith(() -> {
                    SEQUENCES_RUN.incrementAndGet();
                    closeManager();
                    current = new ApiModel(tempDir(), prefetch, maxLost);
                    current.newContext(false);
                    return current;
                })
                .withAction(2, when(s -> s.contexts.size() < 4, s -> Arbitraries.of(
                        mutate("getContext(setup)", m -> m.newContext(true)),
                        mutate("getContext()", m -> m.newContext(false)))))
                .withAction(8, when(s -> !s.contexts.isEmpty(), s -> Combinators.combine(
                        Arbitraries.integers().between(0, s.contexts.size() - 1), KINDS.list().ofMinSize(1).ofMaxSize(12))
                        .as((c, kinds) -> mutate("context " + (c + 1) + ": addTask " + kinds,
                                m -> m.addTasks(m.contexts.get(c), kinds)))))
                .withAction(3, when(ApiModelTest::hasOpenContext, s -> Combinators.combine(
                        openContext(s), Arbitraries.of(true, false), MAP_KINDS.list().ofMinSize(1).ofMaxSize(30),
                        Arbitraries.of(1, 4, 16), Arbitraries.of(0, 0, 0, 3))
                        .as((c, ordered, kinds, window, limit) -> mutate("context " + (c + 1) + ": "
                                + (ordered ? "map" : "mapUnordered") + "(window " + window + ") of " + kinds
                                + (limit > 0 ? ", breaking out after " + limit : ""),
                                m -> m.map(m.contexts.get(c), ordered, kinds, window, limit)))))
                .withAction(4, when(s -> !s.contexts.isEmpty(), s -> Combinators.combine(
                        Arbitraries.integers().between(0, s.contexts.size() - 1), Arbitraries.of(true, false),
                        Arbitraries.of(0, 0, 1, 5))
                        .as((c, ordered, limit) -> mutate("context " + (c + 1) + ": iterate "
                                + (ordered ? "getResults" : "getResultsUnordered")
                                + (limit > 0 ? ", breaking out after " + limit : " to the end"),
                                m -> m.iterate(m.contexts.get(c), ordered, limit)))))
                .withAction(2, when(s -> !s.contexts.isEmpty(), s -> Arbitraries.integers()
                        .between(0, s.contexts.size() - 1)
                        .map(c -> mutate("context " + (c + 1) + ": read every future", m -> m.readFutures(m.contexts.get(c))))))
                .withAction(3, when(s -> s.tasks.stream().anyMatch(t -> t.future != null), s -> Combinators.combine(
                        Arbitraries.of(s.tasks.stream().filter(t -> t.future != null).toList()), Arbitraries.of(true, false))
                        .as((t, interrupt) -> mutate("cancel(" + interrupt + ") " + t, m -> m.cancel(t, interrupt)))))
                .withAction(1, when(ApiModelTest::hasOpenContext, s -> openContext(s)
                        .map(c -> mutate("context " + (c + 1) + ": close", m -> m.closeContext(m.contexts.get(c))))))
                .withAction(1, when(s -> !s.managerClosed, s -> Arbitraries.integers().between(0, 1)
                        .flatMap(w -> Arbitraries.of(
                                mutate("kill -9 connected worker #" + w, m -> m.kill(w)),
                                mutate("SIGSTOP, 300 ms, SIGCONT connected worker #" + w, m -> m.pause(w))))))
                .withAction(1, when(s -> !s.managerClosed && s.tasks.size() > 10, s -> Arbitraries.just(
                        mutate("manager.close()", ApiModel::closeManager))))
                .withMaxTransformations(actions);
    }

    private static boolean hasOpenContext(ApiModel s) {
        return !s.managerClosed && s.contexts.stream().anyMatch(c -> !c.closed);
    }

    private static Arbitrary<Integer> openContext(ApiModel s) {
        return Arbitraries.of(s.contexts.stream().filter(c -> !c.closed).map(c -> c.id - 1).toList());
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("jparallel-model");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Transformer<ApiModel> mutate(String description, Consumer<ApiModel> c) {
        return Transformer.mutate(description, c);
    }

    private static Action.Dependent<ApiModel> when(Predicate<ApiModel> precondition,
            Function<ApiModel, Arbitrary<Transformer<ApiModel>>> transformer) {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(ApiModel state) {
                return precondition.test(state);
            }

            @Override
            public Arbitrary<Transformer<ApiModel>> transformer(ApiModel state) {
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
            System.out.println("MODEL-CAMPAIGN level=api sequences=" + SEQUENCES_RUN.get() + " actions="
                    + ACTIONS_RUN.get() + " status=" + result.status() + " seed=" + result.seed().orElse("?")
                    + " seconds=" + (System.nanoTime() - start) / 1_000_000_000);
            return result;
        }
    }
}
