package org.jparallel.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The two split rules of {@link ShellWords} side by side: a table of inputs, each with the shell's and the JVM's words. */
class ShellWordsSplitTest {
    /** The shell's rule refuses the input. */
    private static final List<String> REFUSED = List.of("<refused>");

    /** One input and the words of each rule. */
    private record Row(String input, List<String> shell, List<String> jvm) {
    }

    private static Row row(String input, List<String> shell, List<String> jvm) {
        return new Row(input, shell, jvm);
    }

    private static final List<Row> TABLE = List.of(
            // the same in both
            row("", List.of(), List.of()),
            row("   \t ", List.of(), List.of()),
            row("java -Xmx1g", List.of("java", "-Xmx1g"), List.of("java", "-Xmx1g")),
            row("  a   b  ", List.of("a", "b"), List.of("a", "b")),
            row("-Da='x y' \"my java\"", List.of("-Da=x y", "my java"), List.of("-Da=x y", "my java")),
            row("-Dc=a'b c'd", List.of("-Dc=ab cd"), List.of("-Dc=ab cd")),
            row("-Db=\"it's\" 'say \"hi\"'", List.of("-Db=it's", "say \"hi\""), List.of("-Db=it's", "say \"hi\"")),
            // empty strings: a pair of quotes is a word
            row("''", List.of(""), List.of("")),
            row("\"\"", List.of(""), List.of("")),
            row("a '' b \"\"", List.of("a", "", "b", ""), List.of("a", "", "b", "")),
            row("x''", List.of("x"), List.of("x")),
            // tabs and newlines split in both; a quote keeps them
            row("a\tb\nc\r\nd", List.of("a", "b", "c", "d"), List.of("a", "b", "c", "d")),
            row("a\fb\u000bc", List.of("a", "b", "c"), List.of("a", "b", "c")),
            row("'a\tb\nc'", List.of("a\tb\nc"), List.of("a\tb\nc")),
            // white space only the shell's rule knows (Character.isWhitespace); no-break space in neither
            row("a\u001cb", List.of("a", "b"), List.of("a\u001cb")),
            row("a\u00a0b", List.of("a\u00a0b"), List.of("a\u00a0b")),
            // escapes: the shell's backslash, outside quotes and within double quotes (there only before $ ` " \
            // and a newline, as in POSIX sh: elsewhere it stays); none for the JVM
            row("a\\ b", List.of("a b"), List.of("a\\", "b")),
            row("\\'x", List.of("'x"), List.of("\\x")),
            row("\"a\\\"b\"", List.of("a\"b"), List.of("a\\b")), // JVM: the 2nd quote closes, the 3rd opens
            row("\"a\\\\b\"", List.of("a\\b"), List.of("a\\\\b")),
            row("\"a\\nb\"", List.of("a\\nb"), List.of("a\\nb")),
            row("\"-Dx=a\\d\" \"C:\\dir\"", List.of("-Dx=a\\d", "C:\\dir"), List.of("-Dx=a\\d", "C:\\dir")),
            row("\"a\\$b\\`c\"", List.of("a$b`c"), List.of("a\\$b\\`c")),
            row("a\\d", List.of("ad"), List.of("a\\d")),
            // a backslash and a newline are a line continuation, outside quotes and within double quotes: both go
            row("a\\\nb", List.of("ab"), List.of("a\\", "b")),
            row("\"a\\\nb\"", List.of("ab"), List.of("a\\\nb")),
            row("'a\\\nb'", List.of("a\\\nb"), List.of("a\\\nb")),
            row("'a\\b'", List.of("a\\b"), List.of("a\\b")),
            row("a\\", List.of("a\\"), List.of("a\\")),
            row("\\", List.of("\\"), List.of("\\")),
            row("a\\\tb", List.of("a\tb"), List.of("a\\", "b")),
            // unclosed quotes: refused by the shell's rule, the rest of the value for the JVM's
            row("-Xmx1g -Dq='unclosed ", REFUSED, List.of("-Xmx1g", "-Dq=unclosed ")),
            row("\"", REFUSED, List.of("")),
            row("a \"b\\\"", REFUSED, List.of("a", "b\\")));

    @Test
    void eachRuleSplitsTheTableAsGiven() {
        for (Row r : TABLE) {
            String shown = r.input().replace("\t", "\\t").replace("\n", "\\n");
            if (r.shell() == REFUSED) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ShellWords.split(r.input()), shown);
                assertEquals("Unclosed " + (r.input().contains("'") ? "'" : "\"") + " in command: " + r.input(),
                        e.getMessage());
            } else {
                assertEquals(r.shell(), ShellWords.split(r.input()), "shell: " + shown);
                assertEquals(r.shell(), LaunchSpec.splitWords(r.input()), "LaunchSpec.splitWords: " + shown);
            }
            assertEquals(r.jvm(), ShellWords.splitJvmOptions(r.input()), "jvm: " + shown);
        }
    }

    @Test
    void theJvmsRuleTakesNullAsNoWordsAndItsWordsCanBeAddedTo() {
        assertEquals(List.of(), ShellWords.splitJvmOptions(null));
        List<String> words = ShellWords.splitJvmOptions("-Xmx1g");
        words.add("-Xms1g"); // EnvironmentOptions adds one variable's words to another's
        List<String> shell = ShellWords.split("java");
        shell.add("-version"); // LaunchSpec.commandLine adds the options to the java command's words
        assertEquals(List.of("-Xmx1g", "-Xms1g"), words);
        assertEquals(List.of("java", "-version"), shell);
    }
}
