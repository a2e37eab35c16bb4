package org.jparallel.testjvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test class's {@code main} in a fresh JVM of the test's own java and classpath, with its class loading
 * logged, and gives back what it wrote: for the checks of what a fresh JVM sets up (which this test JVM has done
 * already). Bounded: the child's output goes to a file, read once it has ended, and a child that does not end in
 * {@value #TIMEOUT_SECONDS} s is stopped and fails the test. Only the JDK is used, so that any module's tests can
 * take it from parallel-core's test-jar.
 */
public final class FreshJvm {
    /** How long the child may run. */
    public static final int TIMEOUT_SECONDS = 60;
    /** The options {@link #run(Class, String...)} starts the child with: class sharing if it can, class loading logged. */
    public static final List<String> CLASS_LOADING = List.of("-Xshare:auto", "-Xlog:class+load=info");

    private FreshJvm() {
    }

    /**
     * Runs {@code main} with {@link #CLASS_LOADING}.
     *
     * @return its standard output and error, the class-loading log among them
     * @throws AssertionError if it did not end in time or ended with another exit code than 0
     */
    public static Output run(Class<?> main, String... args) throws IOException, InterruptedException {
        return run(CLASS_LOADING, main, args);
    }

    /**
     * Runs {@code main} with {@code jvmOptions} (all of them: {@link #CLASS_LOADING}'s are not added).
     *
     * @return its standard output and error
     * @throws AssertionError if it did not end in time or ended with another exit code than 0
     */
    public static Output run(List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("fresh-jvm-" + main.getSimpleName(), ".out");
        Process p = null;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String out = new String(Files.readAllBytes(log), StandardCharsets.UTF_8); // bad bytes replaced, kept
            if (!ended) {
                throw new AssertionError("the child did not end in " + TIMEOUT_SECONDS + " s: " + out);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("the child exited with " + p.exitValue() + ": " + out);
            }
            return new Output(out);
        } finally {
            if (p != null && p.isAlive()) { // the test's thread was interrupted while it waited
                p.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }

    /**
     * What a child wrote on its standard output and error.
     *
     * @param text all of it
     */
    public record Output(String text) {
        /** @return whether the class-loading log shows {@code className} loaded */
        public boolean loaded(String className) {
            return text.contains(" " + className + " ");
        }

        /** @return whether a line starts with {@code start} (the first line excepted, which a log line takes) */
        public boolean printed(String start) {
            return text.contains("\n" + start);
        }

        /**
         * @return the output before the first line that starts with {@code start}
         * @throws AssertionError if there is none
         */
        public Output before(String start) {
            int at = text.indexOf("\n" + start);
            if (at < 0) {
                throw new AssertionError("no line starts with \"" + start + "\": " + text);
            }
            return new Output(text.substring(0, at));
        }

        /** @return the first five lines that contain any of {@code parts}: for a failure's message */
        public List<String> linesWith(String... parts) {
            return text.lines().filter(l -> List.of(parts).stream().anyMatch(l::contains)).limit(5).toList();
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
