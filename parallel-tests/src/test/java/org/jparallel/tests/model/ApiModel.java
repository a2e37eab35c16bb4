package org.jparallel.tests.model;

import static org.jparallel.JournalMode.RESUME;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Context;
import org.jparallel.Manager;
import org.jparallel.TaskOptions;
import org.jparallel.Task;

/**
 * The state of one random sequence of {@link ApiModelTest}: a real manager with local worker JVMs (two, or three or
 * four starting one at a time), used only through the public API, beside a simple model of what the program did
 * (tasks added, cancelled, contexts and the manager closed, workers killed). Each action checks what it saw against
 * the promises ({@link ApiJudge}; what the iterators deliver is found and judged by {@link ApiReader}); every blocking
 * call runs with a deadline, so a hang is a failure that names its action. A journaled sequence is a program that
 * may run several times on its journal ({@link #restart}): what its keys may do over the runs is {@link ApiJournal}'s
 * to judge.
 */
final class ApiModel implements AutoCloseable {
    static final long HANG_SECONDS = 90;

    /** What the sequence drew before its first action. */
    final ApiSettings settings;
    private final Path dir;
    private Manager manager;
    final List<Ctx> contexts = new ArrayList<>();
    final List<ApiTask> tasks = new ArrayList<>();
    final ApiJudge judge;
    /** Finds and judges what the iterators deliver. */
    final ApiReader reader;
    private final ApiDeadline deadline = new ApiDeadline(HANG_SECONDS, this::toString); // a hang names the settings
    boolean managerClosed;
    private int nextValue = 1;
    /**
     * Tasks handed to addTask (and accepted) or to map, whether or not map pulled them yet: unlike
     * {@code tasks.size()} it does not depend on timing, so actions drawn from it replay the same for a seed.
     */
    int requested;
    /** The keys over the program's runs on its journal; {@code null} unless journaled. */
    final ApiJournal journal;
    /** The progress listeners the program registers, and the promises judged on what they heard. */
    final ApiEvents events;
    /** The lost-worker replacements the sequence drew, and what the program may see of its workers under them. */
    final ApiWorkers replacements;

    /** Estimates the tasks declare when the workers have a lifetime, so that dispatch checks each against it. */
    static final java.time.Duration EXPECTED = java.time.Duration.ofMillis(50);

    /** Starts the program's manager and workers as the settings say (the first of its runs, with a journal). */
    ApiModel(Path dir, ApiSettings settings) {
        this.dir = dir;
        this.settings = settings;
        if (settings.waves()) {
            ApiReach.waves();
        }
        this.judge = new ApiJudge(settings.maxLost(), settings.journaled());
        this.replacements = new ApiWorkers(settings.replace(), settings.maxLost(), settings.workers(), judge);
        this.journal = settings.journaled() ? new ApiJournal(dir, judge, settings.outputHasFailures()) : null;
        this.reader = new ApiReader(judge, journal, () -> managerClosed,
                (e, what) -> replacements.noMoreWorkers(e, manager, what));
        this.events = new ApiEvents(judge, settings.journaled());
        this.manager = startManager(org.jparallel.JournalMode.FRESH, settings.listen());
    }

    /** @param listen the program's listeners, as {@link ApiSettings#listen} (7: the keys added again reach no one) */
    private Manager startManager(org.jparallel.JournalMode mode, int listen) {
        org.jparallel.ManagerBuilder b = settings.builder(dir, journal == null ? "" : "-run" + journal.run);
        replacements.apply(b);
        if (journal != null) {
            b.journal(journalFile(), mode).journalIdentity("ApiModel");
        }
        Manager m = events.build(b, (listen & 1) != 0);
        m.addWorker(settings.group());
        if ((listen & 2) != 0) { // as a program does before it adds its tasks: no query to wait for the loop first
            events.addListener(m, tasks, "addListener right after build", false);
        }
        if ((listen & 4) != 0) {
            events.removeListener(m, 0);
        }
        return m;
    }

    /** @return the journal's file (with a journal) */
    Path journalFile() {
        return dir.resolve("model.journal");
    }

    // ---- actions ------------------------------------------------------------------------------------------

    void newContext(boolean withSetup) {
        Ctx c = openContext(contexts.size() + 1, withSetup);
        if (c != null) {
            contexts.add(c);
        }
    }

    /** @return the context of this id (named {@code cID} with a journal, to be found again), or null when refused */
    Ctx openContext(int id, boolean withSetup) {
        try {
            String name = journal == null ? null : "c" + id;
            org.jparallel.Setup<Object> setup = () -> 10;
            @SuppressWarnings({"unchecked", "rawtypes"})
            Context<Object, Object> c = name == null
                    ? withSetup ? manager.<Object, Object>getContext(setup) : (Context) manager.<Object>getContext()
                    : withSetup ? manager.<Object, Object>getContext(name, setup)
                    : (Context) manager.<Object>getContext(name);
            if (managerClosed) {
                judge.violation("getContext worked on a closed manager");
            }
            if (settings.lifetime() != null) {
                c.setDefaultOptions(org.jparallel.TaskOptions.none().withExpectedDuration(EXPECTED));
            }
            return new Ctx(id, c, withSetup);
        } catch (IllegalStateException e) {
            if (!managerClosed) {
                judge.violation("getContext threw " + e);
            }
            return null;
        }
    }

    void addTasks(Ctx ctx, List<ApiTask.Kind> kinds) {
        for (ApiTask.Kind kind : kinds) {
            add(new ApiTask(nextValue++, kind, ctx));
        }
    }

    /** Adds again, after a restart, up to {@code most} keys of earlier runs this run has not added to the context. */
    void addAgain(Ctx ctx, int most) {
        for (ApiJournal.Key k : journal.notAddedThisRun(ctx.id).stream().limit(most).toList()) {
            add(new ApiTask(k.value, k.kind, ctx));
        }
    }

    private void add(ApiTask t) {
        Ctx ctx = t.context;
        try {
            TaskOptions options = t.kind.limitMillis() > 0
                    ? TaskOptions.none().withTimeout(Duration.ofMillis(t.kind.limitMillis())) : TaskOptions.none();
            if (settings.journaled()) {
                options = options.withKey(t.key());
            }
            if (settings.slots() > 1 && t.value % 5 == 0) {
                options = options.withCpus(2);
            }
            t.addedAt = events.now();
            t.future = ctx.context.addTask(journal != null ? journal.counted(t) : t.body(), options);
            if (ctx.closed || managerClosed) {
                judge.violation("addTask worked on a closed " + (managerClosed ? "manager" : "context"));
            }
            register(t);
            requested++;
            reader.added(t);
            events.added(t);
            if (journal != null) {
                journal.added(t);
            }
        } catch (IllegalStateException e) {
            if (!ctx.closed && !managerClosed) {
                judge.violation("addTask threw " + e);
            }
        }
    }

    /** @return the tasks added by addTask (they have futures), in the order added */
    List<ApiTask> withFutures() {
        return tasks.stream().filter(t -> t.future != null).toList();
    }

    private void register(ApiTask t) {
        t.context.tasks.add(t);
        tasks.add(t);
        reader.made(t);
    }

    void cancel(ApiTask t, boolean interrupt) {
        long at = events.now(); // taken before the cancel: an event it causes may arrive before cancel returns
        if (t.future.cancel(interrupt)) { // a refused cancel (already cancelled or done) keeps the first time
            t.cancelled = true;
            t.cancelledAt = at;
            if (!t.future.isCancelled() || !t.future.isDone()) {
                judge.violation(t + ": cancel returned true, yet isCancelled/isDone are false");
            }
        }
    }

    /**
     * Reads results through an iterator of the context, to the end or only {@code limit} of them (0: all); on an
     * interrupted thread: {@link ApiInterrupts#iterate}.
     */
    void iterate(Ctx ctx, boolean ordered, int limit) {
        blocking("iterating " + (ordered ? "getResults" : "getResultsUnordered") + " of context " + ctx.id, () ->
                reader.read(ctx, (ordered ? ctx.context.getResults() : ctx.context.getResultsUnordered()).iterator(),
                        ordered, limit, "the iterator"));
    }

    /** Runs tasks through map or mapUnordered with a small window, reading to the end or {@code limit} results. */
    void map(Ctx ctx, boolean ordered, List<ApiTask.Kind> kinds, int window, int limit) {
        requested += kinds.size();
        Iterable<ApiTask> inputs = () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < kinds.size();
            }

            @Override
            public ApiTask next() {
                ApiTask t = new ApiTask(nextValue++, kinds.get(i++), ctx);
                t.addedAt = events.now();
                events.drawn(t);
                register(t);
                if (journal != null) {
                    journal.added(t);
                }
                return t;
            }
        };
        Iterable<Object> results;
        if (journal != null) { // keyed by their values, in the window of map with keys
            java.util.function.Function<ApiTask, String> key = ApiTask::key;
            results = ordered ? ctx.context.map(inputs, key, journal::counted)
                    : ctx.context.mapUnordered(inputs, key, journal::counted);
        } else {
            Iterable<Task<Object, Object>> source = ApiTask.bodies(inputs);
            results = ordered ? ctx.context.map(source, window) : ctx.context.mapUnordered(source, window);
        }
        blocking((ordered ? "map" : "mapUnordered") + " on context " + ctx.id, () ->
                reader.read(ctx, results.iterator(), ordered, limit, ordered ? "map's iterator" : "mapUnordered's iterator"));
    }

    /** Reads every future of the context, with a deadline, and judges what each says. */
    void readFutures(Ctx ctx) {
        readFutures("reading the futures of context " + ctx.id, List.copyOf(ctx.tasks));
    }

    /** Reads the futures of these tasks, with a deadline ({@code what} names the action), and judges each. */
    void readFutures(String what, List<ApiTask> tasks) {
        blocking(what, () -> {
            for (ApiTask t : tasks) {
                if (t.future != null && replacements.awaitDone(t.future, () -> manager, managerClosed) // else no
                        && judge.future(t, HANG_SECONDS, managerClosed) && journal != null) { // worker is left for it
                    journal.valueSeen(t);
                }
            }
        });
    }

    void closeContext(Ctx ctx) {
        blocking("closing context " + ctx.id, ctx.context::close);
        ctx.closed = true;
    }

    /** @return the manager of the program's current run */
    Manager manager() {
        return manager;
    }

    void closeManager() {
        if (!managerClosed && ApiFaults.anyStarting(manager)) {
            ApiReach.closedWhileStarting();
        }
        blocking("manager.close()", manager::close);
        managerClosed = true;
        events.closed(); // the close delivered the events posted
    }

    /**
     * The program ends and runs again on its journal: its manager is closed (unless the program closed it), its
     * workers gone, and a new manager resumes the journal, where the contexts are made again by name in the same
     * order, each first told the keys of the program's output ({@code markDelivered}) when {@code mark}. The keys
     * of the earlier runs are added again by later actions ({@link #addAgain}).
     */
    void restart(boolean mark, int listen) {
        if (!managerClosed) {
            closeManager();
        }
        journal.ended(tasks);
        ApiFaults.awaitWorkersGone();
        journal.run++;
        events.newRun();
        replacements.newRun();
        blocking("starting run " + journal.run + " on the journal", () -> manager = startManager(RESUME, listen));
        managerClosed = false;
        List<Ctx> earlier = List.copyOf(contexts);
        contexts.clear();
        tasks.clear();
        reader.forget();
        for (Ctx e : earlier) {
            Ctx c = openContext(e.id, e.withSetup);
            if (c != null) {
                if (mark) {
                    c.context.markDelivered(journal.output(c.id));
                }
                contexts.add(c);
            }
        }
    }

    /**
     * The end of a sequence: read every open context to its end, then every future, then close the manager. With
     * a journal, then the program's last run: every key added again, every context read to its end; none lost.
     */
    void settle() {
        if (!managerClosed) {
            for (Ctx ctx : contexts) {
                if (!ctx.closed) {
                    iterate(ctx, false, 0);
                }
            }
        }
        contexts.forEach(this::readFutures);
        closeManager();
        contexts.forEach(this::readFutures);
        check();
        if (journal != null) {
            restart(true, 7); // as the CI run that lost its listener's taskFromJournal events; one removed
            contexts.forEach(c -> addAgain(c, Integer.MAX_VALUE));
            contexts.forEach(c -> iterate(c, false, 0));
            contexts.forEach(this::readFutures);
            // the keys excused from "lost": before the close, not after, for the close ends every pending future
            // (cancelled, "the manager is closed"), and outstanding() knows the tasks no worker was left for by their
            // futures still pending: after the close it would excuse none. Nothing runs between the two (no worker
            // is left when any are excused), so no excused task can end between them either.
            java.util.Set<Integer> outstanding = replacements.outstanding(tasks);
            closeManager();
            journal.checkNoneLost(outstanding);
            check();
        }
    }

    /** Throws with every broken promise seen so far (see {@link ApiJudge#check}). */
    void check() {
        events.check(manager, managerClosed);
        if (!managerClosed) {
            replacements.check(manager);
        }
        if (journal != null) {
            journal.checkExecutions();
        }
        judge.check(settings.describe(replacements) + ", " + tasks.size() + " task(s)");
    }

    // ---- deadlines ------------------------------------------------------------------------------------------

    /** Runs a blocking call of the program's on the action thread, with a deadline ({@link ApiDeadline}). */
    void blocking(String action, Runnable r) {
        deadline.run(action, r);
    }

    @Override
    public void close() {
        Thread closer = new Thread(manager::close, "model-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadline.shutdown();
    }

    @Override
    public String toString() {
        return "a manager with " + settings.describe(replacements);
    }
}
