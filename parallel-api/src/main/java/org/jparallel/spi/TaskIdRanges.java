package org.jparallel.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * Lists of array task ids as batch schedulers read and print them ({@code 1-6:2,9}): Grid Engine and
 * Slurm write them alike, and since a backend's task ids are its worker ids, each scheduler backend
 * needs to read and write them. Kept here so they all do it the same way.
 */
public final class TaskIdRanges {
    /** More tasks than this in one range means the text was misread. */
    private static final int MAX_TASKS = 1_000_000;

    private TaskIdRanges() {
    }

    /**
     * @param list comma-separated ids and ranges: {@code 4}, {@code 1-3}, {@code 1-7:2} (with a step); blanks skipped
     * @return every id the list names, in its order
     * @throws NumberFormatException when a part is not a number
     * @throws IllegalArgumentException when a range holds more than a million ids
     */
    public static List<Integer> expand(String list) {
        List<Integer> out = new ArrayList<>();
        for (String part : list.split(",")) {
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
                throw new IllegalArgumentException("task range too large: " + part);
            }
            for (int t = from; t <= to; t += step) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * @param ids task ids, ascending
     * @return contiguous runs of them, each {@code [first, last]}
     */
    public static List<int[]> runs(List<Integer> ids) {
        List<int[]> runs = new ArrayList<>();
        for (int id : ids) {
            int[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && id == last[1] + 1) {
                last[1] = id;
            } else {
                runs.add(new int[] {id, id});
            }
        }
        return runs;
    }

    /** @return the ids as the shortest list, ascending and without repeats, e.g. {@code 1-4,7} */
    public static String format(Collection<Integer> ids) {
        StringJoiner out = new StringJoiner(",");
        for (int[] r : runs(new ArrayList<>(new TreeSet<>(ids)))) {
            out.add(r[0] == r[1] ? Integer.toString(r[0]) : r[0] + "-" + r[1]);
        }
        return out.toString();
    }
}
