package org.jparallel.core.worker.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessIdTest {
    private static final long MINE = ProcessHandle.current().pid();

    @Test
    void theProcessIdIsThisJvmsOwn() {
        assertEquals(MINE, ProcessId.get());
        assertEquals(MINE, ProcessId.get(), "the second call answers the same");
    }

    @Test
    void withoutProcfsTheJdkAnswers(@TempDir Path dir) {
        assertEquals(MINE, ProcessId.lookUp(dir.resolve("no-such-link").toFile()));
    }

    @Test
    void aLinkToSomethingNotAProcessIdIsNotTakenForOne(@TempDir Path dir) throws Exception {
        Path notANumber = Files.createDirectory(dir.resolve("12a"));
        assertEquals(MINE, ProcessId.lookUp(notANumber.toFile()));
        Path tooLong = Files.createDirectory(dir.resolve("1234567890123456789"));
        assertEquals(MINE, ProcessId.lookUp(tooLong.toFile()));
    }

    @Test
    void aLinkNamedByANumberIsThatNumber(@TempDir Path dir) throws Exception {
        Path target = Files.createDirectory(dir.resolve("4242"));
        Path link = Files.createSymbolicLink(dir.resolve("self"), target);
        assertEquals(4242, ProcessId.lookUp(new File(link.toString())));
    }
}
