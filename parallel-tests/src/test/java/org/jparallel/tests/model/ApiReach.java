package org.jparallel.tests.model;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the sequences of one {@link ApiModelTest} run reached of the paths that only some sequences or tasks take
 * (big {@code byte[]} results judged byte for byte, workers starting in waves, faults while workers start), counted
 * over the test JVM and printed after the campaign's summary line, so that a run shows the new kinds are reached
 * and not only drawn. Shrinking's re-runs count too.
 */
final class ApiReach {
    private static final AtomicLong BIG_RESULTS = new AtomicLong();
    private static final AtomicLong MID_RESULTS = new AtomicLong();
    private static final AtomicLong RESULT_BYTES = new AtomicLong();
    private static final AtomicLong WAVE_SEQUENCES = new AtomicLong();
    private static final AtomicLong STARTING_KILLS = new AtomicLong();
    private static final AtomicLong CLOSES_WHILE_STARTING = new AtomicLong();
    private static final AtomicLong INTERRUPTED_READS = new AtomicLong();
    private static final AtomicLong INTERRUPTED_CONTEXTS = new AtomicLong();
    private static final AtomicLong INTERRUPTED_BOUNDARY_READS = new AtomicLong();

    private static final AtomicLong DEFAULT_REPLACEMENTS = new AtomicLong();
    private static final AtomicLong NO_REPLACEMENTS = new AtomicLong();
    private static final AtomicLong FIXED_REPLACEMENTS = new AtomicLong();
    private static final AtomicLong NO_MORE_WORKERS = new AtomicLong();
    private static final AtomicLong GUARD_STOPPED = new AtomicLong();
    private static final AtomicLong BURSTS = new AtomicLong();
    private static final AtomicLong BURSTS_GUARDED = new AtomicLong();

    private static final AtomicLong LISTENERS = new AtomicLong();
    private static final AtomicLong EVENTS = new AtomicLong();
    private static final AtomicLong ENDS_JUDGED = new AtomicLong();
    private static final AtomicLong BARRIERS = new AtomicLong();
    private static final AtomicLong EVENTS_NANOS = new AtomicLong();

    private ApiReach() {
    }

    /** A bytes task's result was judged its own, byte for byte (seen through its future and an iterator: twice). */
    static void resultChecked(ApiTask.Kind kind, int length) {
        (kind == ApiTask.Kind.BYTES_BIG ? BIG_RESULTS : MID_RESULTS).incrementAndGet();
        RESULT_BYTES.addAndGet(length);
    }

    /** A sequence's workers start in waves, one at a time. */
    static void waves() {
        WAVE_SEQUENCES.incrementAndGet();
    }

    /** A worker JVM was killed before it connected. */
    static void startingKill() {
        STARTING_KILLS.incrementAndGet();
    }

    /** The manager was closed while some of its workers were starting or waiting for their wave. */
    static void closedWhileStarting() {
        CLOSES_WHILE_STARTING.incrementAndGet();
    }

    /** A journaled result was delivered to a reading thread whose interrupt flag was set. */
    static void interruptedRead() {
        INTERRUPTED_READS.incrementAndGet();
    }

    /** A journaled context was made on a thread whose interrupt flag was set. */
    static void interruptedContext() {
        INTERRUPTED_CONTEXTS.incrementAndGet();
    }

    /** A read on an interrupted thread during which the delivery marks took a new mapping (past 1 MiB of marks). */
    static void interruptedBoundaryRead() {
        INTERRUPTED_BOUNDARY_READS.incrementAndGet();
    }

    /** A sequence drew its lost-worker replacements: {@link ApiWorkers#DEFAULT}, 0, or a fixed budget. */
    static void replacements(int replace) {
        (replace == ApiWorkers.DEFAULT ? DEFAULT_REPLACEMENTS : replace == 0 ? NO_REPLACEMENTS : FIXED_REPLACEMENTS)
                .incrementAndGet();
    }

    /** An iterator threw NoMoreWorkersException, and the model judged it. */
    static void noMoreWorkers() {
        NO_MORE_WORKERS.incrementAndGet();
    }

    /** A run's manager was seen with workers the guard left unreplaced (its group stopped). */
    static void guardStopped() {
        GUARD_STOPPED.incrementAndGet();
    }

    /** A sequence added a burst of poison tasks back to back. */
    static void burst() {
        BURSTS.incrementAndGet();
    }

    /** A burst ended with the guard stopping the group (judged, {@link ApiWorkers#burstEnded}). */
    static void burstReachedGuard() {
        BURSTS_GUARDED.incrementAndGet();
    }

    /** A progress listener was registered ({@code ManagerBuilder.listener} or addListener). */
    static void listener() {
        LISTENERS.incrementAndGet();
    }

    /** Progress events a listener heard and {@link ApiEvents} judged. */
    static void events(int n) {
        EVENTS.addAndGet(n);
    }

    /** A task's end event was judged against its future. */
    static void endJudged() {
        ENDS_JUDGED.incrementAndGet();
    }

    /** Ends were owed after a step, and a barrier made sure the events posted before were delivered. */
    static void barrier() {
        BARRIERS.incrementAndGet();
    }

    /** The model's thread spent this long judging events (their cost to the sequences, barriers included). */
    static void eventsNanos(long nanos) {
        EVENTS_NANOS.addAndGet(nanos);
    }

    /** @return the line printed after the campaign's: what was reached */
    static String line() {
        return "MODEL-API-REACHED bigResults=" + BIG_RESULTS + " midResults=" + MID_RESULTS + " resultMB="
                + RESULT_BYTES.get() / (1 << 20) + " waveSequences=" + WAVE_SEQUENCES + " startingKills="
                + STARTING_KILLS + " closesWhileStarting=" + CLOSES_WHILE_STARTING + " interruptedReads="
                + INTERRUPTED_READS + " interruptedBoundaryReads=" + INTERRUPTED_BOUNDARY_READS + " interruptedContexts="
                + INTERRUPTED_CONTEXTS + " listeners=" + LISTENERS + " events=" + EVENTS + " endsJudged=" + ENDS_JUDGED
                + " barriers=" + BARRIERS + " eventsMillis=" + EVENTS_NANOS.get() / 1_000_000 + " replaceDefault="
                + DEFAULT_REPLACEMENTS + " replaceNone=" + NO_REPLACEMENTS + " replaceFixed=" + FIXED_REPLACEMENTS
                + " noMoreWorkers=" + NO_MORE_WORKERS + " guardStopped=" + GUARD_STOPPED + " bursts=" + BURSTS + " burstsReachedGuard=" + BURSTS_GUARDED;
    }
}
