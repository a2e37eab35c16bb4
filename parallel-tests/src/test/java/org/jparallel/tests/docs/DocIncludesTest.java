package org.jparallel.tests.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Code shown in the docs is the code that is built and tested: a line {@code <!-- include: PATH -->}
 * before a fenced block makes that block the Java file at PATH (from the repository's root) without its
 * package and import lines. This test fails when a block has drifted from its file; with
 * {@code -DwriteDocs=true} it rewrites the blocks instead.
 */
class DocIncludesTest {
    /** The module's working directory under Maven is parallel-tests/. */
    private static final Path ROOT = Path.of("..");
    private static final List<String> DOCS = List.of("docs/writing-a-backend.md");
    private static final Pattern INCLUDE = Pattern.compile(
            "(<!-- include: (\\S+) -->\\n```java\\n)(.*?)(```\\n)", Pattern.DOTALL);
    private static final String REGENERATE =
            "mvn -q -pl parallel-tests test -Dtest=DocIncludesTest -DwriteDocs=true";

    @Test
    void everyIncludedBlockIsItsFileToTheLetter() throws IOException {
        for (String name : DOCS) {
            Path doc = ROOT.resolve(name);
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            String expected = withIncludes(text);
            if (Boolean.getBoolean("writeDocs")) {
                Files.writeString(doc, expected, StandardCharsets.UTF_8);
                System.out.println("wrote " + doc.toAbsolutePath().normalize());
                text = expected;
            }
            assertFalse(includedPaths(text).isEmpty(), name + " has no include lines");
            assertEquals(expected, text, name + " shows code that has drifted from its file; run: " + REGENERATE);
        }
    }

    /** @return the doc with every included block replaced by its file's current body */
    static String withIncludes(String text) throws IOException {
        Matcher m = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String body = body(Files.readString(ROOT.resolve(m.group(2)), StandardCharsets.UTF_8));
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + body + m.group(4)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<String> includedPaths(String text) {
        List<String> paths = new ArrayList<>();
        Matcher m = INCLUDE.matcher(text);
        while (m.find()) {
            paths.add(m.group(2));
        }
        return paths;
    }

    /** @return the source without its package line, imports and the blank lines before the first other line */
    static String body(String source) {
        List<String> kept = new ArrayList<>();
        boolean started = false;
        for (String line : source.split("\n", -1)) {
            if (!started && (line.isBlank() || line.startsWith("package ") || line.startsWith("import "))) {
                continue;
            }
            started = true;
            kept.add(line);
        }
        String joined = String.join("\n", kept);
        return joined.endsWith("\n") ? joined : joined + "\n";
    }
}
