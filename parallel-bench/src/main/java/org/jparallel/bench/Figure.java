package org.jparallel.bench;

/**
 * One measured figure, with the limit it is compared to (measured in the same run) when there is one.
 *
 * @param name what was measured
 * @param value the median of the repetitions
 * @param min the lowest repetition
 * @param max the highest repetition
 * @param unit the unit of value
 * @param limitName what the limit is, or {@code null}
 * @param limit the limit's value in the same unit, or NaN
 * @param target the target for this figure, as text, or {@code null}
 * @param pairedRatio when the figure and its limit were measured in pairs ({@link PairedRatio}), the median of
 *     the per-pair ratios, which is then the figure's ratio; else NaN
 */
public record Figure(String name, double value, double min, double max, String unit, String limitName, double limit,
                     String target, double pairedRatio) {

    /** A figure whose ratio is its value divided by its limit. */
    public Figure(String name, double value, double min, double max, String unit, String limitName, double limit,
                  String target) {
        this(name, value, min, max, unit, limitName, limit, target, Double.NaN);
    }

    /** @return the paired ratio when there is one, else value divided by the limit, or NaN without a limit */
    public double ratio() {
        if (!Double.isNaN(pairedRatio)) {
            return pairedRatio;
        }
        return Double.isNaN(limit) || limit == 0 ? Double.NaN : value / limit;
    }
}
