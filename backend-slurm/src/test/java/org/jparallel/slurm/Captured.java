package org.jparallel.slurm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Output captured from the real single-node Slurm 22.05 that scripts/slurm-up.sh starts. */
final class Captured {
    private Captured() {
    }

    static String text(String name) {
        try (InputStream in = Captured.class.getResourceAsStream("/slurm/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource slurm/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
