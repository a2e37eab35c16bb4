package org.jparallel.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One worker group's memory of the checks of its classpath that read many files, so that its start waves (each of
 * which plans class sharing again: a replacement, the wave after the archive was written) do not read them again:
 * the jars' manifests ({@link ArchiveKey#checkManifests}), the directories' file names ({@link ClasspathOrder#of})
 * and whether the jars first finds what the classpath as given finds ({@link ClasspathOrder#check}). The last opens
 * every jar, so its positive verdict is also kept beside the archives, for the configuration and the directories'
 * file names it was made for: a later run with the same jars and the same names reads one small file instead. Only the
 * checks are kept, never the plan: whether the archive exists or a writer holds its lock is read at every start.
 * {@link #forget} drops what was read of the directories (their files change between a manager's runs). Thread-safe
 * (a group's waves start on launcher threads).
 */
final class ClasspathChecks {
    /** Checks the manifests of a classpath's jars. */
    interface Check {
        void check(String classpath) throws ArchiveKey.Unsupported;
    }

    private static final String VERDICT_SUFFIX = "order-checked";
    private static final Object NO_DIRECTORIES = new Object();

    private final Check check;
    /** By key: the empty string when class sharing may be used, else why not. */
    private final Map<ArchiveKey, String> manifests = new ConcurrentHashMap<>();
    /** By classpath: its {@link ClasspathOrder}, {@link #NO_DIRECTORIES}, or why it cannot have one. */
    private final Map<String, Object> orders = new ConcurrentHashMap<>();
    /** By key and fingerprint: the empty string when the order finds the same, else why not. */
    private final Map<String, String> verdicts = new ConcurrentHashMap<>();

    ClasspathChecks() {
        this(ArchiveKey::checkManifests);
    }

    /** @param check how a classpath's manifests are checked ({@link ArchiveKey#checkManifests} but in tests) */
    ClasspathChecks(Check check) {
        this.check = check;
    }

    /** Checks the manifests of {@code key}'s classpath unless they were checked before. */
    void check(ArchiveKey key, String classpath) throws ArchiveKey.Unsupported {
        String whyNot = manifests.get(key);
        if (whyNot == null) {
            try {
                check.check(classpath);
                whyNot = "";
            } catch (ArchiveKey.Unsupported e) {
                whyNot = e.getMessage();
            }
            manifests.put(key, whyNot);
        }
        if (!whyNot.isEmpty()) {
            throw new ArchiveKey.Unsupported(whyNot);
        }
    }

    /**
     * @return the classpath's {@link ClasspathOrder} (its directories read once), {@code null} when it holds no
     *     directory with files
     * @throws ArchiveKey.Unsupported when a directory cannot be read (the same every time)
     */
    ClasspathOrder order(String classpath) throws ArchiveKey.Unsupported {
        Object o = orders.get(classpath);
        if (o == null) {
            try {
                ClasspathOrder order = ClasspathOrder.of(classpath);
                o = order == null ? NO_DIRECTORIES : order;
            } catch (ArchiveKey.Unsupported e) {
                o = e.getMessage();
            }
            orders.put(classpath, o);
        }
        if (o instanceof String whyNot) {
            throw new ArchiveKey.Unsupported(whyNot);
        }
        return o instanceof ClasspathOrder order ? order : null;
    }

    /**
     * Checks the order ({@link ClasspathOrder#check}) unless this group or an earlier run has checked it for the same
     * configuration and file names; a positive verdict is kept in {@code dir}.
     *
     * @throws ArchiveKey.Unsupported when the reordered classpath would find something else
     */
    void checkOrder(ArchiveDirectory dir, ArchiveKey key, ClasspathOrder order) throws ArchiveKey.Unsupported {
        String what = key.exact() + " " + order.fingerprint();
        String whyNot = verdicts.get(what);
        if (whyNot == null) {
            Path kept = dir.path().resolve(key.familyPrefix() + VERDICT_SUFFIX);
            if (what.equals(read(kept))) {
                whyNot = "";
            } else {
                try {
                    order.check();
                    whyNot = "";
                    write(kept, what);
                } catch (ArchiveKey.Unsupported e) {
                    whyNot = e.getMessage();
                }
            }
            verdicts.put(what, whyNot);
        }
        if (!whyNot.isEmpty()) {
            throw new ArchiveKey.Unsupported(whyNot);
        }
    }

    /** Forgets what was read of the directories: the group's next manager reads them again. */
    void forget() {
        orders.clear();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void write(Path f, String text) {
        try {
            Files.writeString(f, text + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // kept only to spare the next run the check
        }
    }
}
