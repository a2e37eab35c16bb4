package org.jparallel.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The limits measured at the start and at the end of one benchmark run, and which of them moved by more
 * than a tolerance in between: a machine whose floor and ping-pong moved that much was busy with
 * something else, and the run's figures are not to be trusted.
 */
final class LimitDrift {
    /** A limit that moved more than this fraction (of the smaller of its two values) flags the run. */
    static final double TOLERANCE = 0.20;

    private final Map<String, Double> start = new LinkedHashMap<>();
    private final Map<String, Double> end = new LinkedHashMap<>();

    /** Records a limit's value at the start of the run. */
    void atStart(String limit, double value) {
        start.put(limit, value);
    }

    /** Records a limit's value at the end of the run. */
    void atEnd(String limit, double value) {
        end.put(limit, value);
    }

    /** @return one line per limit measured at both ends: its two values, how far it moved, and whether that flags the run */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Double> e : start.entrySet()) {
            Double last = end.get(e.getKey());
            if (last != null) {
                double moved = moved(e.getValue(), last);
                lines.add(String.format(Locale.ROOT, "%s: %.2f at the start, %.2f at the end, moved %.0f%%%s", e.getKey(),
                        e.getValue(), last, moved * 100, moved > TOLERANCE ? " (MORE THAN 20%: a noisy machine)" : ""));
            }
        }
        return lines;
    }

    /** @return whether any limit measured at both ends moved by more than {@link #TOLERANCE} */
    boolean noisy() {
        return start.entrySet().stream().anyMatch(e -> end.containsKey(e.getKey())
                && flagged(e.getValue(), end.get(e.getKey()), TOLERANCE));
    }

    /**
     * @return how far a limit moved between two measurements, as a fraction of the smaller one (so a
     *     rise and a fall by the same factor count the same); infinite when one of them is zero or not a number
     */
    static double moved(double first, double last) {
        double lo = Math.min(first, last);
        double hi = Math.max(first, last);
        if (!(lo > 0) || !Double.isFinite(hi)) {
            return Double.POSITIVE_INFINITY;
        }
        return hi / lo - 1;
    }

    /** @return whether a limit that went from {@code first} to {@code last} moved by more than {@code tolerance} */
    static boolean flagged(double first, double last, double tolerance) {
        return moved(first, last) > tolerance;
    }
}
