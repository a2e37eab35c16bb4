package org.jparallel.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Consumer;
import org.jparallel.modelcheck.ModelRunner;
import org.jparallel.modelcheck.ModelRunner.Settings;
import org.jparallel.modelcheck.ModelRunner.Step;
import org.junit.jupiter.api.Test;

/**
 * A model-based, randomized test of the dispatcher alone (issue 18): random sequences of workers joining, being
 * lost, released when idle (automatic allocation) and answering (results, exceptions, halts) in any interleaving,
 * contexts opened and closed, tasks added with and without time limits, cancels, time passing, and shutdown; in
 * a third of the sequences workers have lifetimes and tasks declare expected durations (tasks go only where they
 * fit, workers are drained and leave, a worker gone past its drain time charges nothing), checked after every step against
 * {@link DispatcherModel}. No sockets, no threads: thousands of sequences run in seconds.
 *
 * <p>Its budget: {@code -Dmodel.dispatcher.sequences} (default {@value #DEFAULT_SEQUENCES}),
 * {@code .actions} (the most actions in one, default {@value #DEFAULT_ACTIONS}), {@code .seed} (random by
 * default); see {@link Settings#fromSystemProperties}. A failure prints its seed and shrunk sequence, and how to
 * replay exactly that sequence.
 */
class DispatcherModelTest {
    static final String LEVEL = "dispatcher";
    static final int DEFAULT_SEQUENCES = 3000;
    static final int DEFAULT_ACTIONS = 40;

    @Test
    void everyTaskEndsOnceForItsReasonAndNothingIsDropped() {
        runner().check(Settings.fromSystemProperties(LEVEL, DEFAULT_SEQUENCES, DEFAULT_ACTIONS, 2000, 60));
    }

    @Test
    void theSameSeedGivesTheSameSequenceOfActions() {
        for (long seed : new long[] {-7799105537214808069L, 1863765448247195509L, 7}) {
            List<String> first = runner().generate(seed, DEFAULT_ACTIONS).ran().stream().map(Step::description).toList();
            List<String> again = runner().generate(seed, DEFAULT_ACTIONS).ran().stream().map(Step::description).toList();
            assertEquals(first, again);
        }
    }

    static ModelRunner<DispatcherModel> runner() {
        return ModelRunner.<DispatcherModel>of(LEVEL, r -> {
                    DispatcherModel m = new DispatcherModel(ModelRunner.pick(r, 1, 1, 2, 4), r.nextInt(1, 4), r.nextInt(0, 2),
                            r.nextInt(3) == 0);
                    m.openContext(false);
                    return m;
                })
                .action(3, s -> !s.shutDown && s.workers.size() < 4,
                        (s, r) -> {
                            long life = s.lifetimes ? ModelRunner.pick(r, -1L, 300L, 1000L, 3000L, 10_000L) : -1;
                            int slots = ModelRunner.pick(r, 1, 1, 2, 4);
                            return Step.of((life < 0 ? "a worker" : "a worker with a lifetime of " + life + " ms")
                                    + (slots > 1 ? " with " + slots + " slots" : "") + " connects", m -> m.connect(life, slots));
                        })
                .action(2, s -> !s.workers.isEmpty(), (s, r) -> {
                    int id = ModelRunner.pick(r, List.copyOf(s.workers.keySet()));
                    return r.nextBoolean()
                            ? step("worker " + id + " is killed (kill -9)", m -> m.workers.containsKey(id), m -> m.lose(id, "killed"))
                            : step("worker " + id + "'s running task halts its JVM", m -> m.workers.containsKey(id),
                                    m -> m.lose(id, "halted"));
                })
                .action(1, s -> !s.shutDown && !s.workers.isEmpty(), (s, r) -> {
                    int id = ModelRunner.pick(r, List.copyOf(s.workers.keySet()));
                    return step("automatic allocation releases worker " + id + " (if idle)", m -> m.workers.containsKey(id),
                            m -> m.release(id));
                })
                .action(12, s -> !s.busyWorkers().isEmpty(), (s, r) -> {
                    int id = ModelRunner.pick(r, s.busyWorkers());
                    boolean result = r.nextInt(3) < 2;
                    int k = r.nextInt(4);
                    return step("worker " + id + (result ? " returns the result of" : " reports a throw from") + " running task #" + k
                            + " (of its slots)", m -> m.busyWorkers().contains(id), m -> m.answer(id, k, result));
                })
                .action(1, s -> s.contexts.size() < 4, (s, r) -> r.nextBoolean()
                        ? Step.of("open a context with a setup", m -> m.openContext(true))
                        : Step.of("open a context without setup", m -> m.openContext(false)))
                .action(1, s -> !s.openContexts().isEmpty(), (s, r) -> {
                    int c = ModelRunner.pick(r, s.openContexts());
                    return step("close context " + c, m -> m.openContexts().contains(c), m -> m.closeContext(c));
                })
                .action(6, s -> !s.contexts.isEmpty(), (s, r) -> {
                    int c = ModelRunner.pick(r, List.copyOf(s.contexts.keySet()));
                    int n = r.nextInt(1, 7);
                    long limit = ModelRunner.pick(r, 0L, 0L, 0L, 100L, 1000L);
                    long expected = s.lifetimes ? ModelRunner.pick(r, 0L, 0L, 50L, 500L, 2000L, 20_000L) : 0;
                    int cpus = ModelRunner.pick(r, 1, 1, 1, 1, 2, 4, 8);
                    return step("add " + n + " task(s) to context " + c + (limit > 0 ? " with a limit of " + limit + " ms" : "")
                            + (expected > 0 ? " expected to run " + expected + " ms" : "") + (cpus > 1 ? " asking for " + cpus + " cpus" : ""),
                            m -> m.contexts.containsKey(c), m -> m.submit(c, n, limit, expected, cpus));
                })
                .action(2, s -> !s.cancellable().isEmpty(), (s, r) -> {
                    long t = ModelRunner.pick(r, s.cancellable());
                    boolean interrupt = r.nextBoolean();
                    return step("cancel task " + t + (interrupt ? " (interrupt)" : ""), m -> m.cancellable().contains(t),
                            m -> m.cancel(t, interrupt));
                })
                .action(2, s -> true, (s, r) -> {
                    long ms = ModelRunner.pick(r, 10L, 100L, 500L, 1000L, 5000L, 6000L);
                    return Step.of(ms + " ms pass", m -> m.advance(ms));
                })
                .action(1, s -> true, (s, r) -> Step.of("every worker answers everything", DispatcherModel::settle))
                .action(1, s -> !s.shutDown && s.tasks.size() > 3,
                        (s, r) -> Step.of("the manager shuts down", DispatcherModel::shutdown))
                .invariant(DispatcherModel::check)
                .atEnd(DispatcherModel::settle)
                .replayWith("-pl parallel-core -am verify -Dtest=DispatcherModelTest#everyTaskEndsOnceForItsReasonAndNothingIsDropped"
                        + " -Dsurefire.failIfNoSpecifiedTests=false");
    }

    private static Step<DispatcherModel> step(String description, java.util.function.Predicate<DispatcherModel> when,
            Consumer<DispatcherModel> effect) {
        return Step.of(description, when, effect);
    }
}
