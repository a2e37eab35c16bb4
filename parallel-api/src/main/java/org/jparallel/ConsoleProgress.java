package org.jparallel;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A console progress display for a manager: tasks done of those added, the rate, the time left and
 * the connected workers. Tasks ended from a journal (a resumed run) count as added and done, and are named apart;
 * the rate and the time left count only the tasks this run ran. On a terminal it redraws one line in place,
 *
 * <pre>
 * [##############..........]  14/24  58%  3.1 tasks/s  ETA 0:03  4 workers
 * </pre>
 *
 * <p>elsewhere (a log file, a pipe, CI) it prints a plain line now and then. Print your own lines
 * through {@link #println} so they do not collide with the bar.
 *
 * <pre>{@code
 * try (ConsoleProgress progress = new ConsoleProgress(System.out);
 *      Manager manager = Manager.builder().listener(progress).build()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Open it before the manager, as above, so it closes after: closing the manager delivers the
 * last events, and the final line then shows every task.
 */
public final class ConsoleProgress implements ProgressListener, AutoCloseable {

    /** How progress is shown. */
    public enum Mode {
        /** A bar on a terminal, plain lines elsewhere. */
        AUTO,
        /** A bar redrawn in place (carriage returns), whatever the output is. */
        BAR,
        /** A plain line now and then. */
        PLAIN,
        /** Nothing; {@link #println} still prints. */
        OFF
    }

    private static final long BAR_REFRESH_MILLIS = 200;

    private final PrintStream out;
    private final Mode mode;
    private final int width;
    private final long plainEveryMillis;
    private final LongSupplier nanoClock;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong fromJournal = new AtomicLong();
    private final AtomicInteger workers = new AtomicInteger();
    private final AtomicLong startNanos = new AtomicLong(Long.MIN_VALUE);
    private final ScheduledExecutorService ticker;
    private final Object lock = new Object();
    private int drawnLength;
    private String lastPlain = "";
    private boolean closed;

    /** A display on {@code out} in {@link Mode#AUTO}, plain lines every 5 s when not on a terminal. */
    public ConsoleProgress(PrintStream out) {
        this(out, Mode.AUTO, 5_000);
    }

    /**
     * @param out where to print
     * @param mode bar, plain lines, automatic or nothing
     * @param plainEveryMillis how often a plain line is printed (when something changed)
     */
    public ConsoleProgress(PrintStream out, Mode mode, long plainEveryMillis) {
        this(out, mode, plainEveryMillis, terminalWidth(), System::nanoTime);
    }

    ConsoleProgress(PrintStream out, Mode mode, long plainEveryMillis, int width, LongSupplier nanoClock) {
        this.out = Objects.requireNonNull(out, "out");
        this.mode = mode == Mode.AUTO ? (onTerminal() ? Mode.BAR : Mode.PLAIN) : mode;
        this.width = width;
        this.plainEveryMillis = Math.max(100, plainEveryMillis);
        this.nanoClock = nanoClock;
        if (this.mode == Mode.OFF) {
            this.ticker = null;
            return;
        }
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jparallel-console-progress");
            t.setDaemon(true);
            return t;
        });
        long every = this.mode == Mode.BAR ? BAR_REFRESH_MILLIS : this.plainEveryMillis;
        ticker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    /** @return the mode in use ({@link Mode#AUTO} resolved to bar or plain) */
    public Mode mode() {
        return mode;
    }

    /** @return true when standard input and output are a terminal that can redraw a line */
    static boolean onTerminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    private static int terminalWidth() {
        try {
            int w = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
            return w >= 40 ? w : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    // ---- events --------------------------------------------------------------------------------

    @Override
    public void taskQueued(long taskId, int contextId) {
        startNanos.compareAndSet(Long.MIN_VALUE, nanoClock.getAsLong());
        queued.incrementAndGet();
    }

    @Override
    public void taskFromJournal(long taskId, int contextId) {
        startNanos.compareAndSet(Long.MIN_VALUE, nanoClock.getAsLong());
        fromJournal.incrementAndGet();
    }

    @Override
    public void taskDone(long taskId, int workerId) {
        done.incrementAndGet();
    }

    @Override
    public void taskFailed(long taskId, TaskFailedException failure) {
        failed.incrementAndGet();
    }

    @Override
    public void taskCancelled(long taskId) {
        cancelled.incrementAndGet();
    }

    @Override
    public void workerJoined(WorkerInfo worker) {
        workers.incrementAndGet();
    }

    @Override
    public void workerLost(WorkerInfo worker) {
        workers.decrementAndGet();
    }

    @Override
    public void workerDrained(WorkerInfo worker) {
        workers.decrementAndGet();
    }

    // ---- output --------------------------------------------------------------------------------

    /** Prints a line of your own above the bar (or between plain lines). */
    public void println(String line) {
        synchronized (lock) {
            clearBar();
            out.println(line);
            if (mode == Mode.BAR && !closed) {
                draw();
            }
            out.flush();
        }
    }

    /** @return the current line, as a bar or plain text depending on the mode */
    public String currentLine() {
        long elapsed = elapsedMillis();
        long journal = fromJournal.get();
        return mode == Mode.BAR
                ? renderBar(done.get(), failed.get() + cancelled.get(), journal, queued.get() + journal, workers.get(),
                        elapsed, width)
                : renderPlain(done.get(), failed.get() + cancelled.get(), journal, queued.get() + journal, workers.get(),
                        elapsed);
    }

    private long elapsedMillis() {
        long start = startNanos.get();
        return start == Long.MIN_VALUE ? 0 : TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - start);
    }

    private void tick() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (mode == Mode.BAR) {
                draw();
            } else if (queued.get() > 0) {
                printPlainIfChanged();
            }
        }
    }

    private void printPlainIfChanged() {
        String counts = done.get() + "/" + failed.get() + "/" + cancelled.get() + "/" + queued.get() + "/" + workers.get()
                + "/" + fromJournal.get();
        if (!counts.equals(lastPlain)) {
            lastPlain = counts;
            out.println(currentLine());
            out.flush();
        }
    }

    private void draw() {
        String line = currentLine();
        StringBuilder b = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < drawnLength; i++) {
            b.append(' ');
        }
        out.print(b);
        out.flush();
        drawnLength = line.length();
    }

    private void clearBar() {
        if (mode == Mode.BAR && drawnLength > 0) {
            out.print("\r" + " ".repeat(drawnLength) + "\r");
            drawnLength = 0;
        }
    }

    /** Stops the display, leaving the final state on screen. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (mode == Mode.BAR) {
                draw();
                out.println();
            } else if (mode == Mode.PLAIN) {
                lastPlain = "";
                printPlainIfChanged();
            }
            out.flush();
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    // ---- rendering: pure functions of counts and time ------------------------------------------

    /**
     * @param done tasks that returned a value
     * @param failed tasks that failed or were cancelled
     * @param total tasks added
     * @param workers workers connected now
     * @param elapsedMillis time since the first task was added
     * @param width the terminal width
     * @return the bar line, at most {@code width - 1} characters
     */
    public static String renderBar(long done, long failed, long total, int workers, long elapsedMillis, int width) {
        return renderBar(done, failed, 0, total, workers, elapsedMillis, width);
    }

    /**
     * @param fromJournal tasks ended from the journal (counted in {@code total}, not in the rate or time left)
     * @return the bar line, at most {@code width - 1} characters
     * @see #renderBar(long, long, long, int, long, int)
     */
    public static String renderBar(long done, long failed, long fromJournal, long total, int workers, long elapsedMillis,
                                   int width) {
        long ran = done + failed;
        long finished = ran + fromJournal;
        String text = String.format(Locale.ROOT, " %d/%d %3d%%  %s  %s  %d worker%s%s%s", finished, total,
                percent(finished, total), rate(ran, elapsedMillis), eta(ran, finished, total, elapsedMillis), workers,
                workers == 1 ? "" : "s", failed > 0 ? "  " + failed + " failed" : "",
                fromJournal > 0 ? "  " + fromJournal + " from the journal" : "");
        int barWidth = Math.max(10, Math.min(40, width - 1 - text.length() - 2));
        int filled = total <= 0 ? 0 : (int) Math.min(barWidth, finished * barWidth / total);
        String line = "[" + "#".repeat(filled) + ".".repeat(barWidth - filled) + "]" + text;
        return line.length() > width - 1 ? line.substring(0, Math.max(0, width - 1)) : line;
    }

    /**
     * @return a plain progress line, e.g. {@code progress: 14/24 tasks (58%), 3.1 tasks/s, ETA 0:03, 4 workers}
     * @see #renderBar
     */
    public static String renderPlain(long done, long failed, long total, int workers, long elapsedMillis) {
        return renderPlain(done, failed, 0, total, workers, elapsedMillis);
    }

    /**
     * @param fromJournal tasks ended from the journal (counted in {@code total}, not in the rate or time left)
     * @return a plain progress line
     * @see #renderPlain(long, long, long, int, long)
     */
    public static String renderPlain(long done, long failed, long fromJournal, long total, int workers,
                                     long elapsedMillis) {
        long ran = done + failed;
        long finished = ran + fromJournal;
        return String.format(Locale.ROOT, "progress: %d/%d tasks (%d%%), %s, %s, %d worker%s%s%s", finished, total,
                percent(finished, total), rate(ran, elapsedMillis), eta(ran, finished, total, elapsedMillis), workers,
                workers == 1 ? "" : "s", failed > 0 ? ", " + failed + " failed" : "",
                fromJournal > 0 ? ", " + fromJournal + " from the journal" : "");
    }

    private static long percent(long finished, long total) {
        return total <= 0 ? 0 : finished * 100 / total;
    }

    private static String rate(long finished, long elapsedMillis) {
        if (elapsedMillis <= 0) {
            return "0.0 tasks/s";
        }
        return String.format(Locale.ROOT, "%.1f tasks/s", finished * 1000.0 / elapsedMillis);
    }

    /** @param ran tasks this run ended itself, whose pace gives the time left */
    private static String eta(long ran, long finished, long total, long elapsedMillis) {
        if (total > 0 && finished >= total) {
            return "took " + clock(elapsedMillis);
        }
        if (ran <= 0 || elapsedMillis <= 0) {
            return "ETA --:--";
        }
        long left = (long) ((double) elapsedMillis / ran * (total - finished));
        return "ETA " + clock(left);
    }

    /** @return {@code m:ss}, or {@code h:mm:ss} from an hour on */
    static String clock(long millis) {
        long s = Math.max(0, (millis + 500) / 1000);
        long h = s / 3600;
        long m = s / 60 % 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }
}
