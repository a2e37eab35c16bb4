package org.jparallel.cli.run;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One task of a run as the task list gives it, before its placeholders are filled in.
 *
 * @param key the task's stable key (an array index, an input line number, or the key a task file gives): the same
 *     task list gives the same keys, so a journal can tell which tasks have already run
 * @param index the number that {@code {#}} and {@code JPARALLEL_TASK_INDEX} stand for
 * @param input what {@code {}} stands for
 * @param command the task's own command, or {@code null} for the command line's
 * @param env variables of its own
 * @param timeout its own time limit, or {@code null} for the command line's
 * @param expected its own expected running time, or {@code null} for the command line's
 * @param cpus how many task slots of a worker it takes, or {@code null} for the command line's
 * @param appendInput whether the input is added as the last argument of a command line's command that has no
 *     placeholder (as GNU parallel does with input lines)
 */
public record TaskSpec(String key, long index, String input, List<String> command, Map<String, String> env,
                       Duration timeout, Duration expected, Integer cpus, boolean appendInput) {
    private static final Pattern KEY = Pattern.compile("[^\\s\\[\\]]+");

    /** @throws IllegalArgumentException when the key is empty or has white space or brackets */
    public TaskSpec {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a task key must be non-empty, without white space or brackets: '"
                    + key + "'");
        }
        if (cpus != null && cpus < 1) {
            throw new IllegalArgumentException("cpus must be a whole number of 1 or more, got " + cpus);
        }
        command = command == null ? null : List.copyOf(command);
        env = Map.copyOf(env);
    }

    /**
     * @param template the command line's command, used when the task has none
     * @return the command with {@code {}} replaced by the input and {@code {#}} by the index
     */
    public List<String> commandFrom(List<String> template) {
        List<String> words = command != null ? command : template;
        List<String> filled = new java.util.ArrayList<>(words.stream().map(this::fill).toList());
        if (appendInput && command == null && words.stream().noneMatch(w -> w.contains("{}") || w.contains("{#}"))) {
            filled.add(input);
        }
        return filled;
    }

    String fill(String word) {
        return word.replace("{#}", Long.toString(index)).replace("{}", input);
    }
}
