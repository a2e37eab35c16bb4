package org.jparallel.sge;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the job id out of what {@code qsub -terse} prints: {@code 123} for a plain job,
 * {@code 123.1-4:1} for an array job. Also accepts the verbose form
 * {@code Your job-array 123.1-4:1 ("name") has been submitted}, in case {@code -terse} was overridden.
 */
public final class QsubOutputParser {
    private static final Pattern TERSE = Pattern.compile("^(\\d+)(?:\\.(\\d+)-(\\d+):(\\d+))?$");
    private static final Pattern VERBOSE = Pattern.compile("Your job(?:-array)? (\\d+)");

    private QsubOutputParser() {
    }

    /**
     * @param stdout qsub's standard output
     * @return the job id
     * @throws IllegalArgumentException when no job id is found, quoting the output
     */
    public static long jobId(String stdout) {
        String text = stdout == null ? "" : stdout.strip();
        for (String line : text.split("\\R")) {
            Matcher m = TERSE.matcher(line.strip());
            if (m.matches()) {
                return Long.parseLong(m.group(1));
            }
        }
        Matcher m = VERBOSE.matcher(text);
        if (m.find()) {
            return Long.parseLong(m.group(1));
        }
        throw new IllegalArgumentException("qsub printed no job id: \"" + text + "\"");
    }
}
