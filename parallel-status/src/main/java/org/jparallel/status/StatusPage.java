package org.jparallel.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The status page: one self-contained HTML file ({@code status.html} beside this class), with its
 * style and script inline and no external resources. Its script fetches {@code /status.json} every
 * second and updates the page in place.
 */
public final class StatusPage {
    private static final String RESOURCE = "status.html";
    private static final byte[] HTML = load();

    private StatusPage() {
    }

    /** @return the page, UTF-8 */
    public static byte[] html() {
        return HTML.clone();
    }

    private static byte[] load() {
        try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the status page resource " + RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status page resource " + RESOURCE, e);
        }
    }
}
