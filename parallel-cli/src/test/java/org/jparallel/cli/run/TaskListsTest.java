package org.jparallel.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task lists of jparallel run: arrays, lines, JSON lines; their keys and placeholders; bad input named. */
class TaskListsTest {
    @TempDir
    Path dir;

    private static List<String> keys(List<TaskSpec> tasks) {
        return tasks.stream().map(TaskSpec::key).toList();
    }

    @Test
    void arraysTakeRangesStepsAndLists() {
        assertEquals(List.of("1", "2", "3"), keys(TaskLists.array("1-3")));
        assertEquals(List.of("0", "2", "4"), keys(TaskLists.array("0-5:2")));
        assertEquals(List.of("1", "5", "7", "8", "9"), keys(TaskLists.array("1,5,7-9")));
        TaskSpec t = TaskLists.array("42").get(0);
        assertEquals(Map.of("JPARALLEL_TASK_INDEX", "42"), t.env());
        assertEquals(List.of("echo", "42", "n=42"), t.commandFrom(List.of("echo", "{}", "n={#}")));
    }

    @Test
    void badArraysAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskLists.array("1-x")).getMessage()
                .contains("'1-x' is not an index or a range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskLists.array("5-1")).getMessage()
                .contains("is empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskLists.array("1-3,2")).getMessage()
                .contains("index 2 is listed twice"));
    }

    @Test
    void eachLineIsATaskKeyedByItsLineNumber() throws Exception {
        List<TaskSpec> tasks = TaskLists.lines(new ByteArrayInputStream("a b\n\nc\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("1", "3"), keys(tasks));
        assertEquals(List.of("cat", "a b", "#1"), tasks.get(0).commandFrom(List.of("cat", "{}", "#{#}")));
        assertEquals(List.of("cat", "c", "#3"), tasks.get(1).commandFrom(List.of("cat", "{}", "#{#}")));
        assertEquals(List.of("gzip", "-k", "a b"), tasks.get(0).commandFrom(List.of("gzip", "-k")),
                "without a placeholder the line is the last argument, as in GNU parallel");
        assertEquals(List.of("echo", "x"), TaskLists.array("7").get(0).commandFrom(List.of("echo", "x")),
                "an array's index is not appended: it is in JPARALLEL_TASK_INDEX");
    }

    @Test
    void jsonLinesGiveArgsCommandKeyEnvAndTimeout() throws Exception {
        Path f = dir.resolve("t.jsonl");
        Files.writeString(f, """
                {"args": ["echo", "{}"], "key": "alpha", "env": {"SEED": "7"}, "timeout": "2m"}

                {"command": "echo $SEED", "input": "x", "timeout": 1.5}
                {"key": "gamma"}
                """);
        List<TaskSpec> tasks = TaskLists.jsonLines(f);
        assertEquals(List.of("alpha", "3", "gamma"), keys(tasks));
        assertEquals(List.of("echo", "alpha"), tasks.get(0).commandFrom(List.of("unused")));
        assertEquals("7", tasks.get(0).env().get("SEED"));
        assertEquals(Duration.ofMinutes(2), tasks.get(0).timeout());
        assertEquals(List.of("sh", "-c", "echo $SEED"), tasks.get(1).commandFrom(List.of()));
        assertEquals(Duration.ofMillis(1500), tasks.get(1).timeout());
        assertEquals(List.of("run", "gamma", "4"), tasks.get(2).commandFrom(List.of("run", "{}", "{#}")));
        assertNull(tasks.get(2).timeout());
    }

    @Test
    void badJsonLinesAreNamedWithTheirLine() throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"key\": \"a\"}\n{\"key\": \"a\"}\n");
        assertEquals(f + " line 2: the key 'a' was given to an earlier task; keys must be unique",
                assertThrows(IllegalArgumentException.class, () -> TaskLists.jsonLines(f)).getMessage());
        Files.writeString(f, "{\"arg\": [\"x\"]}\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskLists.jsonLines(f)).getMessage()
                .startsWith(f + " line 1: unknown field 'arg'"));
        Files.writeString(f, "not json\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskLists.jsonLines(f)).getMessage()
                .startsWith(f + " line 1: not a JSON object"));
        Files.writeString(f, "{\"key\": \"a b\"}\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskLists.jsonLines(f)).getMessage()
                .contains("without white space"));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), TaskLists.duration("500ms", "x"));
        assertEquals(Duration.ofSeconds(90), TaskLists.duration("90", "x"));
        assertEquals(Duration.ofHours(2), TaskLists.duration("2h", "x"));
        assertThrows(IllegalArgumentException.class, () -> TaskLists.duration("soon", "x"));
    }

    @Test
    void aTaskFilesExpectedDurationOrTheRunsGoesIntoTheTaskOptionsWithItsKey() throws Exception {
        Path f = dir.resolve("expected.jsonl");
        Files.writeString(f, """
                {"key": "long", "expected": "20m", "timeout": "1h"}
                {"key": "short", "expected": 2.5}
                {"key": "plain"}
                """);
        List<TaskSpec> tasks = TaskLists.jsonLines(f);
        CommandRun.Settings run = new CommandRun.Settings(List.of("true"), ".", Duration.ofMinutes(5), 100, null,
                Duration.ofMinutes(1), null, "r");
        var longOne = CommandRun.options(tasks.get(0), run);
        assertEquals("long", longOne.key());
        assertEquals(Duration.ofMinutes(20), longOne.expectedDuration());
        assertEquals(Duration.ofHours(1), longOne.timeout());
        assertEquals(Duration.ofMillis(2500), CommandRun.options(tasks.get(1), run).expectedDuration());
        var plain = CommandRun.options(tasks.get(2), run);
        assertEquals(Duration.ofMinutes(1), plain.expectedDuration());
        assertEquals(Duration.ofMinutes(5), plain.timeout());
        CommandRun.Settings none = new CommandRun.Settings(List.of("true"), ".", null, 100, null, null, null, "r");
        assertNull(CommandRun.options(tasks.get(2), none).expectedDuration());
        assertNull(CommandRun.options(tasks.get(2), none).timeout());
        Files.writeString(f, "{\"expected\": \"soon\"}\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskLists.jsonLines(f)).getMessage()
                .contains("line 1: expected: 'soon' is not a duration"));
    }

    @Test
    void aTaskFilesCpusOrTheRunsGoesIntoTheTaskOptions() throws Exception {
        Path f = dir.resolve("cpus.jsonl");
        Files.writeString(f, """
                {"key": "wide", "cpus": 4}
                {"key": "plain"}
                """);
        List<TaskSpec> tasks = TaskLists.jsonLines(f);
        CommandRun.Settings run = new CommandRun.Settings(List.of("true"), ".", null, 100, null, null, 2, "r");
        assertEquals(4, CommandRun.options(tasks.get(0), run).cpus(), "the task's own");
        assertEquals(2, CommandRun.options(tasks.get(1), run).cpus(), "the run's --cpus");
        CommandRun.Settings none = new CommandRun.Settings(List.of("true"), ".", null, 100, null, null, null, "r");
        assertEquals(1, CommandRun.options(tasks.get(1), none).cpus(), "one slot unless told");
        Files.writeString(f, "{\"cpus\": 0}\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskLists.jsonLines(f)).getMessage()
                .contains("line 1: cpus must be a whole number of 1 or more"));
    }
}
