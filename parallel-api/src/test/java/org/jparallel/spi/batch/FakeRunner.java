package org.jparallel.spi.batch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.CommandRunner;

/** Answers each tool from a table the test sets, and records every command, for the kit's unit tests. */
final class FakeRunner implements CommandRunner {
    final List<List<String>> commands = new ArrayList<>();
    final Map<String, Result> answers = new HashMap<>();

    FakeRunner answer(String tool, int exitCode, String stdout) {
        answers.put(tool, new Result(exitCode, stdout, ""));
        return this;
    }

    @Override
    public synchronized Result run(List<String> command, String stdin, long timeoutMillis) {
        commands.add(List.copyOf(command));
        return answers.getOrDefault(command.get(0), new Result(0, "", ""));
    }

    /** @return the commands run by one tool */
    synchronized List<List<String>> of(String tool) {
        return commands.stream().filter(c -> c.get(0).equals(tool)).toList();
    }
}
