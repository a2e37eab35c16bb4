package org.jparallel.tests.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.jparallel.modelcheck.ModelRunner;
import org.jparallel.modelcheck.ModelRunner.Settings;
import org.jparallel.modelcheck.ModelRunner.Step;
import org.jparallel.tests.model.ApiTask.Kind;
import org.junit.jupiter.api.Test;

/**
 * A model-based, randomized test of jparallel's public API with real worker JVMs (issue 18): random sequences of
 * getContext (with and without setup), addTask (tasks that return, throw, sleep, run past a time limit, halt or
 * exit their JVM, or carry and return {@code byte[]}s of 32 KB-1.2 MB that are checked byte for byte) on workers of
 * 1, 2 or 4 task slots (some tasks then asking for 2 cpus), map and mapUnordered, iteration (ordered, unordered,
 * through futures, breaking out early), cancel, context and manager close, and faults (kill -9, SIGSTOP/SIGCONT of a
 * worker, kill -9 of one still starting), checked by {@link ApiModel}. A quarter of the sequences run 3 or 4 workers
 * starting one at a time (waves), so that faults and closes meet workers starting; after the campaign's summary
 * line, {@code MODEL-API-REACHED} says how many big results were judged, sequences ran waves, and so on. Half the
 * sequences key their tasks (addTask and map with keys) and keep a journal: the program then ends and runs again on
 * it at random points (the manager closed, a new one resumes the journal, each context told the keys of the
 * program's output with {@code markDelivered} or not), adds keys of its earlier runs again, and at the end runs once
 * more adding every key; {@link ApiJournal} checks no key is delivered twice over the runs, none is lost, and no task runs again once
 * its result was journaled. A journaled program's thread is sometimes interrupted (a cancelled future, an executor
 * shutting down) while it reads results, up to where the iterator would wait, or makes a context: the journal must
 * keep the delivery marks and the context's record all the same, and the flag must stay set ({@link ApiInterrupts});
 * some add a batch of tasks of the longest keys, whose delivery marks, read on an interrupted thread, cross the end of
 * the marks' 1 MiB mapping ({@code interruptedBoundaryReads} in {@code MODEL-API-REACHED}).
 * {@code -Dmodel.api.journaled=true} makes every sequence journaled (a seed found with it replays with it).
 * Most programs listen to the progress events (a listener given to {@code ManagerBuilder.listener}, or added by
 * addListener at the start, later, or on a resumed run's new manager right before it adds its keys again; sometimes a
 * second; sometimes one removed, a journaled program then adding keys of earlier runs at once): {@link ApiEvents}
 * checks the {@link org.jparallel.ProgressListener} promises after every step and at each close (every task that
 * ended after a listener's registration heard exactly the end event that fits its future, events in the promised
 * order per task and per worker, nothing heard of what the program did after removeListener returned; map's tasks,
 * whose ids the program does not see, by counts per context).
 * Each sequence draws its lost-worker replacements: mostly the default ({@code replaceLostWorkers} not called: lost
 * workers replaced, with the guard that stops a group lost too often in a row), some never (0), some a small fixed
 * budget; {@link ApiWorkers} judges after every step and at every read that innocent tasks never end for a poison
 * one's sake, and that no worker is left (a {@link org.jparallel.NoMoreWorkersException}, futures that stay pending)
 * only when the setting allows it; a burst of poison tasks back to back with no answer between them must reach the
 * guard. Failures name the setting with the seed.
 *
 * <p>Its budget: {@code -Dmodel.api.sequences} (default {@value #DEFAULT_SEQUENCES}), {@code .actions}
 * (the most actions in one, default {@value #DEFAULT_ACTIONS}), {@code .seed} (random by default); see
 * {@link Settings#fromSystemProperties}. A failure prints its seed and shrunk sequence (shrinking is bounded: a
 * run costs seconds), and how to replay exactly that sequence.
 */
class ApiModelTest {
    static final String LEVEL = "api";
    /**
     * 20: at about 3.5 s a sequence on Java 17 in CI, 70 s; with the Java 25 pass's 10, 30 random sequences a CI
     * run (30 here took 105 s, CI near its 30 minutes).
     */
    static final int DEFAULT_SEQUENCES = 20;
    /** 15, not 16 as before the bytes tasks and waves: their worker JVMs and megabytes cost CPU, CI has little margin. */
    static final int DEFAULT_ACTIONS = 15;
    /**
     * Bytes tasks are a small share: a megabyte each way costs tens of milliseconds of CPU. Poison tasks (halting or
     * exiting their JVM) as before the exiting kind: half the weight each of the others' doubled.
     */
    private static final List<Kind> KINDS = weighted(24, Kind.VALUE, 4, Kind.THROWS, 6, Kind.SLEEPS_BRIEFLY,
            2, Kind.SLEEPS_LONG, 4, Kind.QUICK_WITH_LIMIT, 2, Kind.OVER_LIMIT, 1, Kind.HALTS, 1, Kind.EXITS,
            4, Kind.BIG, 2, Kind.BYTES_BIG, 2, Kind.BYTES_MID);
    /** Halting tasks are rare: each costs a worker JVM per lost-worker attempt, seconds on a loaded machine. */
    private static final List<Kind> MAP_KINDS = weighted(60, Kind.VALUE, 10, Kind.SLEEPS_BRIEFLY, 6, Kind.THROWS,
            1, Kind.HALTS, 1, Kind.EXITS, 4, Kind.BIG, 2, Kind.BYTES_BIG, 2, Kind.BYTES_MID);

    @Test
    void everyTaskEndsOnceForItsReasonAndIteratorsKeepTheirContract() {
        try {
            runner().check(Settings.fromSystemProperties(LEVEL, DEFAULT_SEQUENCES, DEFAULT_ACTIONS, 10, 60));
        } finally {
            System.out.println(ApiReach.line());
        }
    }

    static ModelRunner<ApiModel> runner() {
        return ModelRunner.<ApiModel>of(LEVEL, r -> {
                    ApiModel m = new ApiModel(tempDir(), ApiSettings.draw(r));
                    m.newContext(false);
                    return m;
                })
                .action(2, s -> s.contexts.size() < 4, (s, r) -> r.nextBoolean()
                        ? Step.of("getContext(setup)", m -> m.newContext(true))
                        : Step.of("getContext()", m -> m.newContext(false)))
                .action(8, s -> !s.contexts.isEmpty(), (s, r) -> {
                    int c = r.nextInt(s.contexts.size());
                    List<Kind> kinds = kinds(r, KINDS, 12);
                    String cpus = s.settings.slots() > 1 ? " (every fifth value asks for 2 cpus)" : "";
                    return Step.of("context " + (c + 1) + ": addTask " + kinds + cpus, m -> c < m.contexts.size(),
                            m -> m.addTasks(m.contexts.get(c), kinds));
                })
                .action(3, ApiModelTest::hasOpenContext, (s, r) -> {
                    int c = ModelRunner.pick(r, openContexts(s));
                    boolean ordered = r.nextBoolean();
                    List<Kind> kinds = kinds(r, MAP_KINDS, 30);
                    int window = ModelRunner.pick(r, 1, 4, 16);
                    int limit = ModelRunner.pick(r, 0, 0, 0, 3);
                    String how = s.journal != null ? "(with keys: the default window)" : "(window " + window + ")";
                    return Step.of("context " + (c + 1) + ": " + (ordered ? "map" : "mapUnordered") + how
                                    + " of " + kinds + (limit > 0 ? ", breaking out after " + limit : ""),
                            m -> openContexts(m).contains(c), m -> m.map(m.contexts.get(c), ordered, kinds, window, limit));
                })
                .action(4, s -> !s.contexts.isEmpty(), (s, r) -> {
                    int c = r.nextInt(s.contexts.size());
                    boolean ordered = r.nextBoolean();
                    int limit = ModelRunner.pick(r, 0, 0, 1, 5);
                    return Step.of("context " + (c + 1) + ": iterate " + (ordered ? "getResults" : "getResultsUnordered")
                                    + (limit > 0 ? ", breaking out after " + limit : " to the end"),
                            m -> c < m.contexts.size(), m -> m.iterate(m.contexts.get(c), ordered, limit));
                })
                // journaled: the program's thread interrupted (a cancelled future, an executor shutting down) while it
                // reads (the delivery marks are stored on it) or makes a context (its record is written on it)
                .action(2, s -> s.journal != null && !s.contexts.isEmpty(), (s, r) -> {
                    int c = r.nextInt(s.contexts.size());
                    boolean ordered = r.nextBoolean();
                    int limit = ModelRunner.pick(r, 0, 0, 1, 5);
                    return Step.of("context " + (c + 1) + ": iterate " + (ordered ? "getResults" : "getResultsUnordered")
                                    + " on an interrupted thread, up to where it would wait"
                                    + (limit > 0 ? " or " + limit + " results" : ""),
                            m -> c < m.contexts.size(),
                            m -> ApiInterrupts.iterate(m, m.contexts.get(c), ordered, limit));
                })
                .action(1, s -> s.journal != null && s.contexts.size() < 4, (s, r) -> {
                    boolean setup = r.nextBoolean();
                    return Step.of("getContext(" + (setup ? "setup" : "") + ") on an interrupted thread",
                            m -> ApiInterrupts.newContext(m, setup));
                })
                // journaled: tasks of the longest keys (12 KB delivery marks), then read on an interrupted thread once
                // they are done, so that the marks cross the end of their 1 MiB mapping on it
                .action(2, s -> s.journal != null && hasOpenContext(s), (s, r) -> {
                    int c = ModelRunner.pick(r, openContexts(s));
                    return Step.of("context " + (c + 1) + ": addTask " + ApiInterrupts.LONG_KEYS + " LONG_KEY tasks"
                                    + " (keys of " + org.jparallel.TaskOptions.MAX_KEY_LENGTH + " characters), their"
                                    + " futures read, then getResultsUnordered on an interrupted thread",
                            m -> openContexts(m).contains(c), m -> ApiInterrupts.longKeys(m, m.contexts.get(c)));
                })
                .action(2, s -> !s.contexts.isEmpty(), (s, r) -> {
                    int c = r.nextInt(s.contexts.size());
                    return Step.of("context " + (c + 1) + ": read every future", m -> c < m.contexts.size(),
                            m -> m.readFutures(m.contexts.get(c)));
                })
                .action(3, s -> !s.withFutures().isEmpty(), (s, r) -> {
                    int k = r.nextInt(s.withFutures().size());
                    ApiTask t = s.withFutures().get(k);
                    boolean interrupt = r.nextBoolean();
                    return Step.of("cancel(" + interrupt + ") the task addTask added " + ordinal(k + 1) + " (" + t.kind
                                    + " in context " + t.context.id + ")",
                            m -> k < m.withFutures().size(), m -> m.cancel(m.withFutures().get(k), interrupt));
                })
                // with the default, once, poison tasks back to back: enough losses in a row to stop the group's
                // replacements unless answers of new workers come between them; the step waits for their end and
                // judges the guard reached unless an answer came between (burstsReachedGuard in MODEL-API-REACHED)
                .action(1, s -> s.replacements.mayBurst(s), (s, r) -> {
                    int c = r.nextInt(s.contexts.size());
                    List<Kind> burst = new ArrayList<>();
                    for (int i = s.replacements.burst(); i > 0; i--) {
                        burst.add(r.nextBoolean() ? Kind.HALTS : Kind.EXITS);
                    }
                    return Step.of("context " + (c + 1) + ": addTask " + burst + " back to back (the guard's limit: "
                                    + s.replacements.limit() + " losses in a row)",
                            m -> c < m.contexts.size(), m -> m.replacements.burst(m, m.contexts.get(c), burst));
                })
                .action(1, ApiModelTest::hasOpenContext, (s, r) -> {
                    int c = ModelRunner.pick(r, openContexts(s));
                    return Step.of("context " + (c + 1) + ": close", m -> openContexts(m).contains(c),
                            m -> m.closeContext(m.contexts.get(c)));
                })
                .action(1, s -> !s.managerClosed, (s, r) -> {
                    int w = r.nextInt(s.settings.workers());
                    return r.nextBoolean() ? Step.of("kill -9 connected worker #" + w, m -> ApiFaults.kill(m, w))
                            : Step.of("SIGSTOP, 300 ms, SIGCONT connected worker #" + w, m -> ApiFaults.pause(m, w));
                })
                .action(2, s -> !s.managerClosed && s.settings.waves(), (s, r) -> {
                    int w = r.nextInt(s.settings.workers());
                    return Step.of("kill -9 starting worker JVM #" + w + " (if one is starting and one connected)",
                            m -> ApiFaults.killStarting(m, w));
                })
                .action(1, s -> !s.managerClosed && s.requested > 10,
                        (s, r) -> Step.of("manager.close()", ApiModel::closeManager))
                .action(1, s -> s.journal != null && s.requested > 0 && s.journal.run < 3, (s, r) -> {
                    boolean mark = r.nextBoolean();
                    int listen = ModelRunner.pick(r, 0, 1, 2, 2, 3, 7);
                    return Step.of("restart: the manager closed, a new one resumes the journal" + (mark
                            ? ", each context told the keys of the program's output (markDelivered)" : "")
                            + LISTEN[listen], m -> m.restart(mark, listen));
                })
                .action(3, s -> s.journal != null && s.journal.run > 1 && hasOpenContext(s), (s, r) -> {
                    int c = ModelRunner.pick(r, openContexts(s));
                    int most = ModelRunner.pick(r, 3, 12, 1000);
                    return Step.of("context " + (c + 1) + ": add again up to " + most + " keys of earlier runs",
                            m -> openContexts(m).contains(c), m -> m.addAgain(m.contexts.get(c), most));
                })
                // progress listeners: one more (a second), or one removed (journaled: keys of earlier runs added at once)
                .action(1, s -> !s.managerClosed && s.events.live() < 2, (s, r) -> Step.of("addListener",
                        m -> m.events.addListener(m, "addListener after " + m.requested + " tasks")))
                .action(1, s -> !s.managerClosed && s.events.anyLive(), (s, r) -> {
                    int pick = r.nextInt(2);
                    int again = s.journal != null && s.journal.run > 1 ? ModelRunner.pick(r, 0, 3, 12) : 0;
                    return Step.of("removeListener (of the live ones, #" + pick + ")" + (again > 0
                            ? ", then add again up to " + again + " keys of earlier runs at once" : ""),
                            m -> m.events.removeListener(m, pick, again));
                })
                .invariant(ApiModel::check)
                .atEnd(ApiModel::settle)
                .replayWith("-pl parallel-tests -am verify -Dtest=ApiModelTest -Dsurefire.failIfNoSpecifiedTests=false"
                        + (Boolean.getBoolean("model.api.journaled") ? " -Dmodel.api.journaled=true" : ""));
    }

    /** The listeners of a new manager, as its step says: see {@link ApiModel}'s {@code startManager}. */
    private static final String[] LISTEN = {"", ", a listener given to ManagerBuilder.listener",
        ", addListener right after build", ", one listener given to ManagerBuilder.listener, one to addListener", "", "",
        "", ", one listener given to ManagerBuilder.listener, one to addListener, the first then removed at once"};

    private static boolean hasOpenContext(ApiModel s) {
        return !s.managerClosed && s.contexts.stream().anyMatch(c -> !c.closed);
    }

    /** @return the indexes in {@code contexts} of the open contexts, none once the manager is closed */
    private static List<Integer> openContexts(ApiModel s) {
        return s.managerClosed ? List.of() : s.contexts.stream().filter(c -> !c.closed).map(c -> c.id - 1).toList();
    }

    private static List<Kind> kinds(Random r, List<Kind> weighted, int most) {
        List<Kind> kinds = new ArrayList<>();
        for (int n = r.nextInt(1, most + 1); n > 0; n--) {
            kinds.add(ModelRunner.pick(r, weighted));
        }
        return kinds;
    }

    /** @return each kind repeated as often as its weight: (weight, kind) pairs in, a list to pick from out */
    private static List<Kind> weighted(Object... weightsAndKinds) {
        List<Kind> kinds = new ArrayList<>();
        for (int i = 0; i < weightsAndKinds.length; i += 2) {
            kinds.addAll(Collections.nCopies((Integer) weightsAndKinds[i], (Kind) weightsAndKinds[i + 1]));
        }
        return kinds;
    }

    private static String ordinal(int n) {
        return n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        });
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("jparallel-model");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
