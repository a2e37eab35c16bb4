package org.jparallel.sge;

import java.util.ArrayList;
import java.util.List;

/** Task id lists as Grid Engine prints and reads them: {@code 1-6:1}, {@code 4}, {@code 1,2}, {@code 1-3:1,7}. */
final class TaskRanges {
    /** More tasks than this in one range means the text was misread. */
    private static final int MAX_TASKS = 1_000_000;

    private TaskRanges() {
    }

    /** @return every task id the list names */
    static List<Integer> expand(String list) {
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
    static List<int[]> runs(List<Integer> ids) {
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
}
