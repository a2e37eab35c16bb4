package org.jparallel.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the task lists {@code jparallel run} accepts: an array of indexes ({@code 1-1000}, {@code 1-1000:2},
 * {@code 1,5,7-9}), the lines of a file, and a JSON-lines task file. A problem is an {@link
 * IllegalArgumentException} naming the place and what to write instead.
 */
public final class TaskLists {
    private static final Pattern RANGE = Pattern.compile("(-?\\d+)(?:-(-?\\d+)(?::(\\d+))?)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskLists() {
    }

    /**
     * @param spec e.g. {@code 1-1000}, {@code 0-99:2}, {@code 1,5,7-9}
     * @return a task per index; key, input and index are the index
     */
    public static List<TaskSpec> array(String spec) {
        List<TaskSpec> tasks = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (String part : spec.split(",")) {
            Matcher m = RANGE.matcher(part.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("--array " + spec + ": '" + part + "' is not an index or a range; "
                        + "write e.g. 1-1000, 1-1000:2 (a step) or 1,5,7-9");
            }
            long from = Long.parseLong(m.group(1));
            long to = m.group(2) == null ? from : Long.parseLong(m.group(2));
            long step = m.group(3) == null ? 1 : Long.parseLong(m.group(3));
            if (to < from || step < 1) {
                throw new IllegalArgumentException("--array " + spec + ": the range '" + part + "' is empty; "
                        + "write the lower index first and a step of at least 1");
            }
            for (long i = from; i <= to; i += step) {
                if (!seen.add(i)) {
                    throw new IllegalArgumentException("--array " + spec + ": index " + i + " is listed twice");
                }
                tasks.add(new TaskSpec(Long.toString(i), i, Long.toString(i), null, Map.of("JPARALLEL_TASK_INDEX",
                        Long.toString(i)), null, null, null, false));
            }
        }
        return tasks;
    }

    /**
     * @param in the lines; each non-empty line is a task
     * @return a task per line: key and index the line number (from 1), input the line, which is added as the
     *     last argument of a command without placeholder
     */
    public static List<TaskSpec> lines(InputStream in) throws IOException {
        List<TaskSpec> tasks = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        long n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (!line.isEmpty()) {
                tasks.add(new TaskSpec(Long.toString(n), n, line, null, Map.of("JPARALLEL_TASK_INDEX",
                        Long.toString(n)), null, null, null, true));
            }
        }
        return tasks;
    }

    /**
     * Reads a JSON-lines task file: one object per line with {@code args} (a list: the program and its
     * arguments) or {@code command} (a string run by {@code sh -c}), or neither to use the command line's
     * command; optional {@code key}, {@code input} (what {@code {}} stands for; default the key), {@code env}
     * (an object of strings), {@code timeout} ({@code "30s"}, {@code "5m"}, or seconds as a number) and {@code
     * expected} (its expected running time, written the same way) and {@code cpus} (the task slots of a worker it
     * takes).
     *
     * @param file the file
     * @return a task per line: key the given one or the line number; index the line number
     */
    public static List<TaskSpec> jsonLines(Path file) throws IOException {
        List<TaskSpec> tasks = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + " line " + (i + 1);
            TaskSpec t;
            try {
                t = task(JSON.readTree(line), i + 1, where);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(where + ": not a JSON object: " + e.getOriginalMessage());
            }
            if (!keys.add(t.key())) {
                throw new IllegalArgumentException(where + ": the key '" + t.key() + "' was given to an earlier task; "
                        + "keys must be unique");
            }
            tasks.add(t);
        }
        return tasks;
    }

    private static TaskSpec task(JsonNode o, long n, String where) {
        if (!o.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object such as {\"args\": [\"echo\", \"hi\"]}");
        }
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("key", "args", "command", "input", "env", "timeout", "expected", "cpus").contains(f)) {
                throw new IllegalArgumentException(where + ": unknown field '" + f
                        + "'; the fields are key, args, command, input, env, timeout, expected, cpus");
            }
        }
        String key = o.has("key") ? o.get("key").asText() : Long.toString(n);
        List<String> command = null;
        if (o.has("args") && o.has("command")) {
            throw new IllegalArgumentException(where + ": give args or command, not both");
        }
        if (o.has("args")) {
            if (!o.get("args").isArray() || o.get("args").isEmpty()) {
                throw new IllegalArgumentException(where + ": args must be a non-empty list of strings");
            }
            command = new ArrayList<>();
            for (JsonNode a : o.get("args")) {
                command.add(a.asText());
            }
        } else if (o.has("command")) {
            command = List.of("sh", "-c", o.get("command").asText());
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JPARALLEL_TASK_INDEX", Long.toString(n));
        if (o.has("env")) {
            if (!o.get("env").isObject()) {
                throw new IllegalArgumentException(where + ": env must be an object such as {\"SEED\": \"42\"}");
            }
            o.get("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        Duration timeout = durationField(o, "timeout", where);
        Duration expected = durationField(o, "expected", where);
        Integer cpus = null;
        if (o.has("cpus")) {
            if (!o.get("cpus").canConvertToInt() || !o.get("cpus").isIntegralNumber() || o.get("cpus").asInt() < 1) {
                throw new IllegalArgumentException(where + ": cpus must be a whole number of 1 or more, got "
                        + o.get("cpus"));
            }
            cpus = o.get("cpus").asInt();
        }
        String input = o.has("input") ? o.get("input").asText() : key;
        try {
            return new TaskSpec(key, n, input, command, env, timeout, expected, cpus, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static Duration durationField(JsonNode o, String field, String where) {
        if (!o.has(field)) {
            return null;
        }
        JsonNode v = o.get(field);
        if (v.isNumber()) {
            if (v.asDouble() * 1000 < 1) {
                throw new IllegalArgumentException(where + ": " + field + " must be at least 1 ms, got " + v.asText());
            }
            return Duration.ofMillis(Math.round(v.asDouble() * 1000));
        }
        return duration(v.asText(), where + ": " + field);
    }

    /**
     * @param text e.g. {@code 500ms}, {@code 30s}, {@code 1.5m}, {@code 2h}; a bare number is seconds
     * @param what what it is, for the message
     * @return the duration
     */
    public static Duration duration(String text, String what) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a duration; write e.g. 500ms, 30s, 5m or 2h");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 1000;
        };
        if (millis < 1) {
            throw new IllegalArgumentException(what + ": '" + text + "' must be at least 1 ms");
        }
        return Duration.ofMillis(Math.round(millis));
    }
}
