package org.jparallel.modelcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jparallel.modelcheck.ModelRunner.Run;
import org.jparallel.modelcheck.ModelRunner.Step;

/**
 * Shrinks a failing sequence of {@link ModelRunner} in the manner of delta debugging: replays it with chunks of
 * steps removed (the last chunk first, so shorter prefixes are tried first), halving the chunk until single steps,
 * and keeps a shorter sequence whenever it still fails the same way. A step whose precondition no longer holds is
 * skipped in a replay. Bounded by a number of re-runs and a time, as a run with real worker JVMs costs seconds.
 *
 * <p>Two failures are the same kind when they have the same class and the first line of the first one's message
 * that is not a heading (a line ending in ':'), its numbers masked, appears in the other's message, likewise masked.
 */
final class Shrinker<S> {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");

    private final ModelRunner<S> runner;
    private final long seed;
    private final int maxRuns;
    private final long maxMillis;
    private int runs;
    private long started;
    private long millis;
    private boolean exhausted;

    Shrinker(ModelRunner<S> runner, long seed, int maxRuns, long maxMillis) {
        this.runner = runner;
        this.seed = seed;
        this.maxRuns = maxRuns;
        this.maxMillis = maxMillis;
    }

    /** @return the shortest run found that fails as {@code failing} did ({@code failing} itself if none) */
    Run<S> shrink(Run<S> failing) {
        started = System.nanoTime();
        String kind = kindOf(failing.failure());
        Run<S> best = failing;
        int chunk = Math.max(1, best.ran().size() / 2);
        try {
            while (!best.ran().isEmpty()) {
                boolean removed = false;
                for (int end = best.ran().size(); end > 0; ) {
                    if (runs >= maxRuns || elapsedMillis() >= maxMillis) {
                        exhausted = true;
                        return best;
                    }
                    int start = Math.max(0, end - chunk);
                    List<Step<S>> candidate = new ArrayList<>(best.ran().subList(0, start));
                    candidate.addAll(best.ran().subList(end, best.ran().size()));
                    runs++;
                    Run<S> run = runner.replay(seed, candidate);
                    if (run.failed() && sameKind(kind, failing.failure(), run.failure())) {
                        best = run;
                        removed = true;
                        end = Math.min(start, best.ran().size());
                    } else {
                        end = start;
                    }
                }
                if (!removed) {
                    if (chunk == 1) {
                        break;
                    }
                    chunk = Math.max(1, chunk / 2);
                }
            }
            return best;
        } finally {
            millis = elapsedMillis();
        }
    }

    int runs() {
        return runs;
    }

    long millis() {
        return millis;
    }

    /** @return whether shrinking stopped at its budget rather than at a sequence no single removal keeps failing */
    boolean exhausted() {
        return exhausted;
    }

    private long elapsedMillis() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** @return the line of a failure's message that says what broke, its numbers masked */
    static String kindOf(Throwable failure) {
        String message = failure.getMessage();
        if (message == null) {
            return "";
        }
        for (String line : message.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.endsWith(":")) {
                return mask(l);
            }
        }
        return mask(message.strip());
    }

    static boolean sameKind(String kind, Throwable original, Throwable candidate) {
        return candidate.getClass() == original.getClass()
                && mask(String.valueOf(candidate.getMessage())).contains(kind);
    }

    private static String mask(String s) {
        return NUMBER.matcher(s).replaceAll("#");
    }
}
