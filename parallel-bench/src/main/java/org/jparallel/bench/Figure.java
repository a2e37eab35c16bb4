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
 */
public record Figure(String name, double value, double min, double max, String unit, String limitName, double limit,
                     String target) {

    /** @return value divided by the limit, or NaN without a limit */
    public double ratio() {
        return Double.isNaN(limit) || limit == 0 ? Double.NaN : value / limit;
    }
}
