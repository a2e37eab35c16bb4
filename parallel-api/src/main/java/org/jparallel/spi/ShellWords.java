package org.jparallel.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * POSIX shell words, for backends that read configured commands or write job scripts and remote command lines:
 * {@link #split} takes a command apart as a shell would for plain words and quotes, {@link #quote} and {@link #join}
 * do the reverse. {@link #splitJvmOptions} splits by the JVM's rule for the variables it reads its options from
 * ({@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}, {@code _JAVA_OPTIONS}), with the same scan. Both split at white
 * space and keep what a pair of single or double quotes encloses in one word, the quotes removed ({@code ''} is an
 * empty word). They differ in three ways:
 * <ul>
 *   <li>escapes, as in POSIX sh: outside quotes the shell's backslash takes the next character as it is; within
 *       double quotes only before {@code $ ` " \} (so {@code "C:\dir"} and {@code "a\d"} keep theirs); a backslash
 *       and a newline, outside quotes or within double quotes, are a line continuation and both go; within single
 *       quotes, and at the end, a backslash stays. The JVM knows no escapes;</li>
 *   <li>an unclosed quote: the shell's rule refuses it; the JVM's takes the rest of the value into the word;</li>
 *   <li>white space: the shell's is {@link Character#isWhitespace}; the JVM's is space, tab, newline, carriage
 *       return, form feed and vertical tab only.</li>
 * </ul>
 * Neither expands anything.
 */
public final class ShellWords {
    private ShellWords() {
    }

    /**
     * Splits a command the way a POSIX shell would for plain words, quotes and backslashes, without expanding
     * anything: {@code /opt/env.sh "my java"} gives two words.
     *
     * @param command the command
     * @return its words, in a list the caller may add to
     * @throws IllegalArgumentException when a quote is not closed
     */
    public static List<String> split(String command) {
        return scan(command, true);
    }

    /**
     * Splits a variable's value as the JVM and the java launcher do: quotes and no escapes.
     *
     * @param value the value, or {@code null}
     * @return its words (none for {@code null}), in a list the caller may add to; an unclosed quote (which the JVM
     *     refuses) takes the rest of the value
     */
    public static List<String> splitJvmOptions(String value) {
        return value == null ? new ArrayList<>() : scan(value, false);
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

    private static List<String> scan(String line, boolean shell) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            boolean escape = shell && c == '\\' && i + 1 < n;
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (escape && quote == '"' && "$`\"\\\n".indexOf(line.charAt(i + 1)) >= 0) {
                    appendEscaped(cur, line.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (escape) {
                char next = line.charAt(++i);
                appendEscaped(cur, next);
                inWord |= next != '\n'; // a line continuation alone starts no word
            } else if (shell ? Character.isWhitespace(c) : jvmSpace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0 && shell) {
            throw new IllegalArgumentException("Unclosed " + quote + " in command: " + line);
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }

    /** Appends what a backslash took: the character, or nothing for a newline (a line continuation). */
    private static void appendEscaped(StringBuilder cur, char c) {
        if (c != '\n') {
            cur.append(c);
        }
    }

    /** @return whether the JVM splits options at {@code c} (its {@code isspace} in the C locale) */
    private static boolean jvmSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }
}
