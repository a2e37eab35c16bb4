package org.jparallel.slurm;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jparallel.spi.batch.ArrayTask;

/**
 * Reads {@code sacct -n -P -X -j JOB -o JobID,State,ExitCode,Reason}: one line per array task with
 * its final state, e.g. {@code 7_1|FAILED|3:0|NonZeroExitCode} or {@code 4_2|CANCELLED by 0|0:15|None}.
 * Used for tasks that have left squeue, when the cluster keeps accounting.
 */
public final class SacctParser {

    /**
     * One task as sacct lists it.
     *
     * @param state the state's first word ({@code COMPLETED}, {@code CANCELLED} ...)
     * @param exitCode the exit code, or -1 when sacct gave none
     * @param signal the signal that ended it, or 0
     * @param reason the reason, or an empty string
     */
    public record Entry(String state, int exitCode, int signal, String reason) {
    }

    private SacctParser() {
    }

    /**
     * @param stdout sacct's output in the format above
     * @return each listed task, in order; lines it cannot read are skipped
     */
    public static Map<ArrayTask, Entry> parse(String stdout) {
        Map<ArrayTask, Entry> out = new LinkedHashMap<>();
        for (String raw : stdout.split("\\R")) {
            String[] f = raw.strip().split("\\|", -1);
            if (f.length < 3 || f[0].isEmpty()) {
                continue;
            }
            try {
                String state = f[1].strip().split("\\s+")[0];
                int code = -1;
                int signal = 0;
                String[] ec = f[2].strip().split(":");
                if (!ec[0].isEmpty()) {
                    code = Integer.parseInt(ec[0]);
                    signal = ec.length > 1 ? Integer.parseInt(ec[1]) : 0;
                }
                String reason = f.length > 3 && !f[3].strip().equals("None") ? f[3].strip() : "";
                Entry e = new Entry(state, code, signal, reason);
                for (ArrayTask k : SqueueParser.keys(f[0].strip())) {
                    out.put(k, e);
                }
            } catch (RuntimeException e) {
                // a step line or something newer than this parser: not ours
            }
        }
        return out;
    }
}
