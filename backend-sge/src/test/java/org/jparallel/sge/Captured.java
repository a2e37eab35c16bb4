package org.jparallel.sge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Output captured from the real single-node cell (scripts/gridengine-up.sh), under src/test/resources/sge. */
final class Captured {
    private Captured() {
    }

    static String read(String name) {
        try (InputStream in = Captured.class.getResourceAsStream("/sge/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource /sge/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
