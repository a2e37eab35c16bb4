package org.jparallel.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Array task id lists as Slurm reads and prints them: {@code 1-4}, {@code 3,5-6}, {@code 1-7:2}, and in
 * squeue's output of a pending array {@code [1-3,5%2]}.
 */
final class ArrayIds {
    /** More tasks than this in one list means the text was misread. */
    private static final int MAX_TASKS = 1_000_000;

    private ArrayIds() {
    }

    /** @return the ids as the shortest Slurm list, ascending, e.g. {@code 1-4,7} */
    static String format(List<Integer> ids) {
        StringBuilder sb = new StringBuilder();
        Integer first = null;
        Integer last = null;
        for (int id : new TreeSet<>(ids)) {
            if (last != null && id == last + 1) {
                last = id;
                continue;
            }
            append(sb, first, last);
            first = id;
            last = id;
        }
        append(sb, first, last);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Integer first, Integer last) {
        if (first == null) {
            return;
        }
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(first);
        if (!first.equals(last)) {
            sb.append('-').append(last);
        }
    }

    /** @return every id a list names; brackets and a {@code %N} throttle are ignored */
    static List<Integer> expand(String list) {
        String text = list.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        int pct = text.indexOf('%');
        if (pct >= 0) {
            text = text.substring(0, pct);
        }
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int step = 1;
            int colon = p.indexOf(':');
            if (colon >= 0) {
                step = Math.max(1, Integer.parseInt(p.substring(colon + 1)));
                p = p.substring(0, colon);
            }
            int dash = p.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
            if ((long) (to - from) / step > MAX_TASKS) {
                throw new IllegalArgumentException("array range too large: " + part);
            }
            for (int t = from; t <= to; t += step) {
                out.add(t);
            }
        }
        return out;
    }
}
