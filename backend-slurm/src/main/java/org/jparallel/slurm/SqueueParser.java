package org.jparallel.slurm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.TaskIdRanges;
import org.jparallel.spi.batch.ArrayTask;

/**
 * Reads {@code squeue -h -r -t all -j ID,... -o '%i|%T|%r'}: one line per array task, {@code
 * JOB_TASK|STATE|REASON}, e.g. {@code 4_1|RUNNING|None} or {@code 5_3|PENDING|JobHeldUser}. A job that is
 * not an array is {@code JOB} (task -1). A pending array printed without {@code -r}
 * ({@code 7_[1-3]}) is expanded to one entry per task.
 */
public final class SqueueParser {

    /**
     * One task as squeue lists it.
     *
     * @param state the state, long form ({@code PENDING}, {@code RUNNING}, {@code TIMEOUT} ...)
     * @param reason why it is in that state ({@code None}, {@code JobHeldUser}, {@code Resources} ...)
     */
    public record Entry(String state, String reason) {
        /** @return the reason, or an empty string when squeue gave none */
        public String reasonOrEmpty() {
            return reason == null || reason.isEmpty() || reason.equals("None") || reason.equals("(null)") ? "" : reason;
        }
    }

    private SqueueParser() {
    }

    /**
     * @param stdout squeue's output in the format above, without a header
     * @return each listed task with its state and reason, in order
     * @throws IllegalArgumentException when a line is not in that format
     */
    public static Map<ArrayTask, Entry> parse(String stdout) {
        Map<ArrayTask, Entry> out = new LinkedHashMap<>();
        for (String raw : stdout.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\|", 3);
            if (f.length < 2) {
                throw new IllegalArgumentException("squeue printed a line that is not ID|STATE|REASON: " + line);
            }
            Entry e = new Entry(f[1].strip(), f.length > 2 ? f[2].strip() : "");
            try {
                for (ArrayTask k : keys(f[0].strip())) {
                    out.put(k, e);
                }
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("squeue printed a job id jparallel cannot read: " + line, ex);
            }
        }
        return out;
    }

    /** @return the tasks of an id as squeue or sacct print it: {@code 8}, {@code 4_1}, {@code 7_[1-3,5]} */
    static List<ArrayTask> keys(String id) {
        int us = id.indexOf('_');
        if (us < 0) {
            return List.of(new ArrayTask(Long.toString(Long.parseLong(id)), -1));
        }
        String job = Long.toString(Long.parseLong(id.substring(0, us)));
        return arrayIds(id.substring(us + 1)).stream().map(t -> new ArrayTask(job, t)).toList();
    }

    /** @return every id of an array task list: {@code 1-7:2}, or {@code [1-3,5%2]} (brackets and a %N throttle ignored) */
    static List<Integer> arrayIds(String list) {
        String text = list.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        int pct = text.indexOf('%');
        if (pct >= 0) {
            text = text.substring(0, pct);
        }
        return TaskIdRanges.expand(text);
    }
}
