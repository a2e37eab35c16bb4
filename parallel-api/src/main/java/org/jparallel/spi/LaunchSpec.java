package org.jparallel.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to start the workers of one group: the java command, JVM options, classpath, main class,
 * where the manager is, the run's secret and each worker's output file. Made by the core; a
 * backend may override parts with the {@code with...} methods and then ask for {@link
 * #commandLine}.
 *
 * <p>The secret never goes on a command line: pass {@link #secretEnvironment()} to the process, or
 * write it with {@link #writeSecretFile(Path)} and add {@code --secret-file} to the worker's
 * arguments, or feed {@link #secretText()} to the worker's standard input with {@code --secret-stdin}.
 */
public final class LaunchSpec {
    /** The environment variable a worker reads its secret from. */
    public static final String SECRET_ENV = "JPARALLEL_SECRET";
    /** Stands for the manager's port in an output file pattern. */
    public static final String PORT_PLACEHOLDER = "%p";
    /** The worker option giving its lifetime in milliseconds, counted from its start. */
    public static final String LIFETIME_OPTION = "--lifetime-ms";
    /** The worker option giving how many tasks it runs at once: a number, or {@code auto}. */
    public static final String SLOTS_OPTION = "--slots";

    private final List<Integer> workerIds;
    private final String javaCommand;
    private final List<String> jvmOptions;
    private final String classpath;
    private final String mainClass;
    private final String host;
    private final int port;
    private final List<String> remoteHosts;
    private final String secretText;
    private final String outputPattern;
    private Duration lifetime;
    private String slots;

    /**
     * @param workerIds the ids of the workers to start, one per worker
     * @param javaCommand the command starting a JVM; several words allowed
     * @param jvmOptions worker JVM options
     * @param classpath the worker classpath
     * @param mainClass the worker main class
     * @param host the configured manager host, or {@code null} when not configured
     * @param port the manager's port
     * @param remoteHosts this machine's addresses reachable from other hosts, best first
     * @param secretText the run's secret, encoded as text
     * @param outputPattern the output file pattern; {@code %d} is the worker id, {@code %p} the
     *     manager's port (replaced here, so that {@link #outputPattern()} holds only {@code %d})
     */
    public LaunchSpec(List<Integer> workerIds, String javaCommand, List<String> jvmOptions, String classpath,
                      String mainClass, String host, int port, List<String> remoteHosts, String secretText,
                      String outputPattern) {
        this.workerIds = List.copyOf(workerIds);
        this.javaCommand = Objects.requireNonNull(javaCommand, "javaCommand");
        this.jvmOptions = List.copyOf(jvmOptions);
        this.classpath = Objects.requireNonNull(classpath, "classpath");
        this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
        this.host = host;
        this.port = port;
        this.remoteHosts = List.copyOf(remoteHosts);
        this.secretText = Objects.requireNonNull(secretText, "secretText");
        this.outputPattern = Objects.requireNonNull(outputPattern, "outputPattern")
                .replace(PORT_PLACEHOLDER, Integer.toString(port));
    }

    /** @return the ids of the workers to start, one per worker */
    public List<Integer> workerIds() {
        return workerIds;
    }

    /** @return the command that starts a JVM, possibly several words */
    public String javaCommand() {
        return javaCommand;
    }

    /** @return worker JVM options */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** @return the worker classpath */
    public String classpath() {
        return classpath;
    }

    /** @return the worker main class */
    public String mainClass() {
        return mainClass;
    }

    /** @return the manager's port */
    public int port() {
        return port;
    }

    /** @return the configured manager host, or {@code null} */
    public String host() {
        return host;
    }

    /** @return the output file pattern, the manager's port in place of {@code %p}; {@code %d} is the worker id */
    public String outputPattern() {
        return outputPattern;
    }

    /**
     * The addresses a worker should try, as {@code host:port}. A worker on this machine gets the
     * configured host when there is one, otherwise loopback. A worker elsewhere gets the configured
     * host first (when there is one), then every other address of this machine that others may
     * reach; loopback only when there is none. Workers try all of them at once and keep the first
     * that completes the handshake, so an address they cannot reach costs them nothing.
     *
     * @param sameMachine true when the worker runs on the manager's machine
     * @return the addresses, best first, without duplicates
     */
    public List<String> managerAddresses(boolean sameMachine) {
        Set<String> out = new LinkedHashSet<>();
        if (host != null) {
            out.add(host + ":" + port);
        } else if (sameMachine) {
            out.add("127.0.0.1:" + port);
        }
        if (!sameMachine) {
            for (String h : remoteHosts) {
                out.add(h + ":" + port);
            }
            if (out.isEmpty()) {
                out.add("127.0.0.1:" + port);
            }
        }
        return List.copyOf(out);
    }

    /** @return the output file of one worker, from the pattern */
    public Path outputFile(int workerId) {
        return Path.of(outputPattern.replace("%d", Integer.toString(workerId)));
    }

    /** @return the variables that hand the secret to a worker through its environment */
    public Map<String, String> secretEnvironment() {
        return Map.of(SECRET_ENV, secretText);
    }

    /** @return the secret as text, for a backend that feeds it to the worker's standard input */
    public String secretText() {
        return secretText;
    }

    /**
     * Writes the secret to a file only its owner can read (mode 0600).
     *
     * @param file where to write; its parent must exist
     * @throws IOException when the file cannot be written
     */
    public void writeSecretFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, secretText, StandardCharsets.US_ASCII);
    }

    /**
     * The full command line of one worker: java command, JVM options, classpath, main class and the
     * worker's arguments. It holds no secret.
     *
     * @param workerId the worker's id
     * @param sameMachine true when the worker runs on the manager's machine
     * @param extraWorkerArgs more worker arguments, e.g. {@code --secret-file F}
     * @return the command line, one word per element
     */
    public List<String> commandLine(int workerId, boolean sameMachine, String... extraWorkerArgs) {
        List<String> cmd = new ArrayList<>(splitWords(javaCommand));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.add("--connect");
        cmd.add(String.join(",", managerAddresses(sameMachine)));
        cmd.add("--id");
        cmd.add(Integer.toString(workerId));
        if (lifetime != null) {
            cmd.add(LIFETIME_OPTION);
            cmd.add(Long.toString(lifetime.toMillis()));
        }
        if (slots != null && !slots.equals("1")) {
            cmd.add(SLOTS_OPTION);
            cmd.add(slots);
        }
        cmd.addAll(List.of(extraWorkerArgs));
        return cmd;
    }

    /** @return a copy starting workers with another java command (several words allowed) */
    public LaunchSpec withJavaCommand(String command) {
        return new LaunchSpec(workerIds, command, jvmOptions, classpath, mainClass, host, port, remoteHosts,
                secretText, outputPattern).carryOver(this);
    }

    /** @return a copy starting workers with other JVM options */
    public LaunchSpec withJvmOptions(List<String> options) {
        return new LaunchSpec(workerIds, javaCommand, options, classpath, mainClass, host, port, remoteHosts,
                secretText, outputPattern).carryOver(this);
    }

    /**
     * @param ids the workers to start, a part of {@link #workerIds()} (a group started a few at a time)
     * @return a copy starting those workers
     */
    public LaunchSpec withWorkerIds(List<Integer> ids) {
        return new LaunchSpec(ids, javaCommand, jvmOptions, classpath, mainClass, host, port, remoteHosts,
                secretText, outputPattern).carryOver(this);
    }

    /** @return a copy with another worker classpath */
    public LaunchSpec withClasspath(String path) {
        return new LaunchSpec(workerIds, javaCommand, jvmOptions, path, mainClass, host, port, remoteHosts,
                secretText, outputPattern).carryOver(this);
    }

    /** @return a copy whose workers reach the manager through {@code newHost} */
    public LaunchSpec withHost(String newHost) {
        return new LaunchSpec(workerIds, javaCommand, jvmOptions, classpath, mainClass, newHost, port, remoteHosts,
                secretText, outputPattern).carryOver(this);
    }

    /** @return a copy with another output file pattern */
    public LaunchSpec withOutputPattern(String pattern) {
        return new LaunchSpec(workerIds, javaCommand, jvmOptions, classpath, mainClass, host, port, remoteHosts,
                secretText, pattern).carryOver(this);
    }

    /**
     * How long each worker has from its start until its allocation ends (a batch job's walltime, or the
     * configured {@code jparallel.worker.lifetime}); the worker learns it from its command line and
     * reports it to the manager, which stops giving it tasks a drain margin before that end.
     *
     * @return the lifetime, or {@code null} when the workers' life has no set end
     */
    public Duration lifetime() {
        return lifetime;
    }

    /**
     * @param newLifetime each worker's lifetime from its start, or {@code null} for no set end; a
     *     backend that knows its jobs' walltime passes the shorter of it and {@link #lifetime()}
     * @return a copy whose workers are told they live that long
     */
    public LaunchSpec withLifetime(Duration newLifetime) {
        if (newLifetime != null && (newLifetime.isNegative() || newLifetime.isZero())) {
            throw new IllegalArgumentException("a worker lifetime must be positive, got " + newLifetime);
        }
        LaunchSpec copy = new LaunchSpec(workerIds, javaCommand, jvmOptions, classpath, mainClass, host, port,
                remoteHosts, secretText, outputPattern);
        copy.lifetime = newLifetime;
        copy.slots = slots;
        return copy;
    }

    /**
     * @param walltime a backend's time limit for each worker's job, or {@code null} for none
     * @return a copy whose lifetime is the shorter of {@code walltime} and this one's
     */
    public LaunchSpec withWalltime(Duration walltime) {
        if (walltime == null || (lifetime != null && lifetime.compareTo(walltime) <= 0)) {
            return this;
        }
        return withLifetime(walltime);
    }

    /**
     * How many tasks each worker runs at once (its task slots): a number, or {@code auto} for the cores
     * the worker was given (Grid Engine's {@code NSLOTS}, Slurm's {@code SLURM_CPUS_PER_TASK}, else
     * the machine's cores). A batch backend asks its scheduler for that many cores per worker.
     *
     * @return the slots, {@code "1"} unless set
     */
    public String slots() {
        return slots == null ? "1" : slots;
    }

    /**
     * @return the number of cores a batch backend requests for each worker: the slots when they are a
     *     number above 1, otherwise 1 ({@code auto} takes what the job is given)
     */
    public int requestedCores() {
        String s = slots();
        return s.matches("[0-9]{1,4}") ? Math.max(1, Integer.parseInt(s)) : 1;
    }

    /**
     * @param newSlots a number of task slots (1 or more) or {@code auto}
     * @return a copy whose workers run that many tasks at once
     */
    public LaunchSpec withSlots(String newSlots) {
        LaunchSpec copy = new LaunchSpec(workerIds, javaCommand, jvmOptions, classpath, mainClass, host, port,
                remoteHosts, secretText, outputPattern);
        copy.lifetime = lifetime;
        copy.slots = checkSlots(newSlots);
        return copy;
    }

    /**
     * @param slots a number of task slots or {@code auto}
     * @return it, trimmed and in lower case
     * @throws IllegalArgumentException when it is neither
     */
    public static String checkSlots(String slots) {
        String v = Objects.requireNonNull(slots, "slots").trim().toLowerCase(java.util.Locale.ROOT);
        if (!v.equals("auto") && !(v.matches("[0-9]{1,4}") && Integer.parseInt(v) >= 1)) {
            throw new IllegalArgumentException("worker slots must be a number from 1 to 9999 or 'auto', got '"
                    + slots + "'");
        }
        return v;
    }

    private LaunchSpec carryOver(LaunchSpec from) {
        this.lifetime = from.lifetime;
        this.slots = from.slots;
        return this;
    }

    /**
     * Splits a command into words the way a POSIX shell would for plain words and quotes, without
     * expanding anything: {@code /opt/env.sh "my java"} gives two words; the same as {@link ShellWords#split}.
     *
     * @param command the command
     * @return its words
     * @throws IllegalArgumentException when a quote is not closed
     */
    public static List<String> splitWords(String command) {
        return ShellWords.split(command);
    }
}
