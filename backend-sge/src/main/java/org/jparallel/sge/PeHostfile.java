package org.jparallel.sge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A parallel environment's host file ({@code $PE_HOSTFILE}): one line per host,
 * {@code HOST SLOTS QUEUE PROCESSORS}. The first line is the host the job script (the manager) runs on.
 */
public final class PeHostfile {
    /**
     * One line of the file.
     *
     * @param host the host name
     * @param slots how many slots the job has there
     */
    public record Entry(String host, int slots) {
    }

    private final List<Entry> entries;

    private PeHostfile(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * @param text the file's content
     * @return the parsed file
     * @throws IllegalArgumentException on a line that is not {@code HOST SLOTS ...}
     */
    public static PeHostfile parse(String text) {
        List<Entry> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+");
            try {
                out.add(new Entry(f[0], Integer.parseInt(f[1])));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a PE_HOSTFILE line (HOST SLOTS QUEUE PROCESSORS): " + line, e);
            }
        }
        return new PeHostfile(out);
    }

    /**
     * @param file the file
     * @return the parsed file
     * @throws IOException when it cannot be read
     */
    public static PeHostfile read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** @return the hosts with their slot counts, in file order */
    public List<Entry> entries() {
        return entries;
    }

    /** @return one host name per slot, in file order (the first is the manager's host) */
    public List<String> slots() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            for (int i = 0; i < e.slots; i++) {
                out.add(e.host);
            }
        }
        return out;
    }
}
