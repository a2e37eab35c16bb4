package org.jparallel.spi;

import java.util.List;
import java.util.stream.Collectors;

/**
 * POSIX shell quoting, for backends that write job scripts or remote command lines: the reverse of
 * {@link LaunchSpec#splitWords}.
 */
public final class ShellWords {
    private ShellWords() {
    }

    /** @return the word single-quoted unless it is made only of characters the shell leaves alone */
    public static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=,+@%-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** @return the words quoted and joined by spaces */
    public static String join(List<String> words) {
        return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }
}
