package org.jparallel.slurm;

import java.util.List;
import java.util.stream.Collectors;

/** POSIX shell quoting, for the job script and for printing command lines. */
final class Shell {
    private Shell() {
    }

    /** @return the word single-quoted unless it is made only of characters the shell leaves alone */
    static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=,+@%-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** @return the words quoted and joined by spaces */
    static String join(List<String> words) {
        return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }
}
