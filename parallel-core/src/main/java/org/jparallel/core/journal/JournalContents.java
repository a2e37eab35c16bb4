package org.jparallel.core.journal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a journal file holds, as read back: the program's identity, each context's setup, and per context the
 * keys delivered, the results not yet delivered, and the final failures. Results already delivered keep only
 * their key, so a resumed run holds in memory only what it may still hand out.
 *
 * @param identity the program's identity from the header
 * @param created when the journal was started, in epoch milliseconds (links it to its delivery marks)
 * @param contexts the contexts by name, in the order they were first journaled
 * @param validLength the bytes up to the end of the last whole record
 * @param tornBytes the bytes dropped after it (0 for a file that ended cleanly)
 */
public record JournalContents(String identity, long created, Map<String, ContextEntry> contexts, long validLength,
                              long tornBytes) {

    /** A stored result: its bytes, and whether they are a returned {@code byte[]} as it came. */
    public record Stored(boolean raw, byte[] bytes) {
    }

    /** One context's records. */
    public static final class ContextEntry {
        final int number;
        final String setup;
        final Map<String, Stored> results = new HashMap<>();
        final Set<String> delivered = new HashSet<>();
        final Map<String, String> failures = new LinkedHashMap<>();

        ContextEntry(int number, String setup) {
            this.number = number;
            this.setup = setup;
        }

        /** @return the setup's description */
        public String setup() {
            return setup;
        }

        /** @return keys whose results were delivered to the program */
        public Set<String> delivered() {
            return delivered;
        }

        /** @return results journaled and not yet delivered, by key */
        public Map<String, Stored> results() {
            return results;
        }

        /** @return final failures not followed by a result, by key: their messages */
        public Map<String, String> failures() {
            return failures;
        }

        void result(String key, Stored stored) {
            failures.remove(key);
            if (!delivered.contains(key)) {
                results.put(key, stored);
            }
        }

        void failure(String key, String message) {
            if (!delivered.contains(key) && !results.containsKey(key)) {
                failures.put(key, message);
            }
        }

        void delivered(String key) {
            results.remove(key);
            delivered.add(key);
        }
    }

    /** @return what takes each delivery mark read (context number, key) and marks that key delivered here */
    java.util.function.BiConsumer<Integer, String> deliveryMarks() {
        Map<Integer, ContextEntry> byNumber = new HashMap<>();
        contexts.values().forEach(e -> byNumber.put(e.number, e));
        return (number, key) -> {
            ContextEntry e = byNumber.get(number);
            if (e != null) {
                e.delivered(key);
            }
        };
    }

    static JournalContents empty(String identity, long created) {
        return new JournalContents(identity, created, new LinkedHashMap<>(), 0, 0);
    }
}
