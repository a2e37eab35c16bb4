package org.jparallel.bench;

/**
 * A figure measured in pairs with its limit, each pair one right after the other (limit, figure, limit,
 * figure, ...), and its ratio to the limit as the median of the per-pair ratios. Why: the limit and the
 * figure then see the same moment of a shared machine. The cold start's limit, a hello world JVM, moved
 * 126-150 ms between quiet runs while the worker's cold start did not, so a cold start divided by a floor
 * measured minutes earlier read 1.38 in one run and 1.70 in another for the same code.
 */
final class PairedRatio {
    /** One measurement, in the figure's unit. */
    @FunctionalInterface
    interface Measurement {
        double take() throws Exception;
    }

    /**
     * What {@link #measure} measured.
     *
     * @param limit the limit's measurements, in the order taken
     * @param figure the figure's measurements, {@code figure[i]} taken right after {@code limit[i]}
     */
    record Pairs(double[] limit, double[] figure) {
        Pairs {
            if (limit.length != figure.length || limit.length == 0) {
                throw new IllegalArgumentException("pairs need as many limits as figures, at least one: "
                        + limit.length + " and " + figure.length);
            }
            for (double l : limit) {
                if (!(l > 0) || !Double.isFinite(l)) {
                    throw new IllegalArgumentException("a limit of " + l + " gives no ratio");
                }
            }
        }

        /** @return {@code figure[i] / limit[i]} for each pair */
        double[] ratios() {
            double[] r = new double[figure.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = figure[i] / limit[i];
            }
            return r;
        }

        /** @return each pair as {@code (limit, figure, ratio)}, in the order taken */
        String describe() {
            StringBuilder b = new StringBuilder();
            double[] r = ratios();
            for (int i = 0; i < r.length; i++) {
                b.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "(%.0f, %.0f, %.2f)", limit[i],
                        figure[i], r[i]));
            }
            return b.toString();
        }

        /** @return the median of the per-pair ratios (not the ratio of the medians) */
        double medianRatio() {
            return Stats.median(ratios());
        }
    }

    private PairedRatio() {
    }

    /** @return {@code n} pairs, taken in the order limit, figure, limit, figure, ... */
    static Pairs measure(int n, Measurement limit, Measurement figure) throws Exception {
        double[] l = new double[n];
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            l[i] = limit.take();
            f[i] = figure.take();
        }
        return new Pairs(l, f);
    }
}
