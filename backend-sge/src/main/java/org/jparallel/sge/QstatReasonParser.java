package org.jparallel.sge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the error reasons out of {@code qstat -j JOBID}: lines such as
 * {@code error reason    1:      11/24/2026 21:18:31 [0:22562]: error: can't open output file ...}, one per
 * array task in error (task 1 for a job that is not an array).
 */
public final class QstatReasonParser {
    private static final Pattern REASON = Pattern.compile("^error reason\\s+(\\d+):\\s*(.*)$");

    private QstatReasonParser() {
    }

    /**
     * @param text the output of {@code qstat -j JOBID}
     * @return the reason of each task in error, by task number
     */
    public static Map<Integer, String> reasons(String text) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            Matcher m = REASON.matcher(line.strip());
            if (m.matches()) {
                out.put(Integer.parseInt(m.group(1)), m.group(2).strip());
            }
        }
        return out;
    }

    /**
     * @param text the output of {@code qstat -j JOBID}
     * @param taskId the task (0 for a job that is not an array)
     * @return the reason for that task, else the first reason given, else the scheduling info, else empty
     */
    public static String reason(String text, int taskId) {
        Map<Integer, String> all = reasons(text);
        String r = all.get(taskId == 0 ? 1 : taskId);
        if (r == null && !all.isEmpty()) {
            r = all.values().iterator().next();
        }
        if (r != null) {
            return r;
        }
        for (String line : text.split("\\R")) {
            if (line.startsWith("scheduling info:")) {
                return line.substring("scheduling info:".length()).strip();
            }
        }
        return "";
    }
}
