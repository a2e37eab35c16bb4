package org.jparallel.bench;

import java.util.List;
import java.util.Locale;

/**
 * The benchmark's JSON file, written by hand: a JSON library on the benchmark's classpath would be on
 * its local workers' classpath too (they run on the manager's), and each jar there adds to the cold
 * start being measured.
 */
final class BenchJson {
    private BenchJson() {
    }

    /**
     * @return the run as JSON: the machine, the prefetch setting and every figure, with the ratio the table
     *     shows ({@code ratioOfPairs}: the median of per-pair ratios, {@link PairedRatio}, not value / limit)
     */
    static String of(String machine, int prefetch, List<Figure> figures) {
        StringBuilder b = new StringBuilder("{\n  \"machine\" : ").append(string(machine))
                .append(",\n  \"prefetch\" : ").append(prefetch).append(",\n  \"figures\" : [");
        for (int i = 0; i < figures.size(); i++) {
            Figure f = figures.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    { \"name\" : ").append(string(f.name()))
                    .append(", \"value\" : ").append(number(f.value()))
                    .append(", \"min\" : ").append(number(f.min()))
                    .append(", \"max\" : ").append(number(f.max()))
                    .append(", \"unit\" : ").append(string(f.unit()))
                    .append(", \"limitName\" : ").append(string(f.limitName()))
                    .append(", \"limit\" : ").append(number(f.limit()))
                    .append(", \"ratio\" : ").append(number(f.ratio()))
                    .append(", \"ratioOfPairs\" : ").append(!Double.isNaN(f.pairedRatio()))
                    .append(", \"target\" : ").append(string(f.target())).append(" }");
        }
        return b.append("\n  ]\n}\n").toString();
    }

    /** @return a JSON number, or {@code null} for NaN and infinities, which JSON cannot hold */
    static String number(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%s", d) : "null";
    }

    /** @return a JSON string, or {@code null} */
    static String string(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
