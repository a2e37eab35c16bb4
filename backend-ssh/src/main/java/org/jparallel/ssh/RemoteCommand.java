package org.jparallel.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.ShellWords;

/**
 * Builds the command an SSH exec channel runs to start one worker, and the one that kills it.
 *
 * <p>The worker command is a single line handed to {@code /bin/sh -c}, whatever the remote user's
 * login shell, and never a login shell: it enters the working directory, runs the environment
 * prefix, checks that the java command exists (printing the non-interactive shell's {@code PATH}
 * when it does not), prints {@value #PID_MARKER}{@code <pid>} and then {@code exec}s the JVM, so the
 * printed pid is the worker's. The secret is not in it: the worker reads it from standard input
 * ({@code --secret-stdin}), which the backend writes into the channel after the pid line.
 */
public final class RemoteCommand {
    /** The line the remote shell prints just before it becomes the worker; the pid follows. */
    public static final String PID_MARKER = "jparallel-pid ";
    /** The start of a line explaining why the remote start-up failed. */
    public static final String FAILURE_PREFIX = "jparallel: ";
    /** Exit code of the start-up script when the java command is missing. */
    public static final int EXIT_NO_JAVA = 127;
    /** Exit code of the start-up script when the working directory cannot be entered. */
    public static final int EXIT_NO_DIRECTORY = 97;

    private String javaCommand = "java";
    private List<String> jvmOptions = List.of();
    private String classpath;
    private String mainClass;
    private List<String> managerAddresses = List.of();
    private int workerId;
    private String directory;
    private String envPrefix;
    private java.time.Duration lifetime;

    /** @return this, with the java command (several words allowed, e.g. {@code /opt/env.sh java}) */
    public RemoteCommand javaCommand(String command) {
        if (LaunchSpec.splitWords(Objects.requireNonNull(command, "command")).isEmpty()) {
            throw new IllegalArgumentException("empty java command");
        }
        this.javaCommand = command;
        return this;
    }

    /** @return this, with the worker JVM's options */
    public RemoteCommand jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /** @return this, with the classpath as seen on the remote host */
    public RemoteCommand classpath(String remoteClasspath) {
        this.classpath = Objects.requireNonNull(remoteClasspath, "remoteClasspath");
        return this;
    }

    /** @return this, with the worker main class */
    public RemoteCommand mainClass(String name) {
        this.mainClass = Objects.requireNonNull(name, "name");
        return this;
    }

    /** @return this, with the manager addresses the worker tries, {@code host:port} */
    public RemoteCommand managerAddresses(List<String> addresses) {
        this.managerAddresses = List.copyOf(addresses);
        return this;
    }

    /** @return this, with the worker's id */
    public RemoteCommand workerId(int id) {
        this.workerId = id;
        return this;
    }

    /** @return this, with the remote working directory ({@code null}: the remote user's home) */
    public RemoteCommand directory(String dir) {
        this.directory = dir;
        return this;
    }

    /** @return this, with shell commands run before the worker in the same shell ({@code null}: none) */
    public RemoteCommand envPrefix(String prefix) {
        this.envPrefix = prefix;
        return this;
    }

    /** @param workerLifetime the worker's lifetime from its start ({@link LaunchSpec#lifetime()}), or {@code null}; @return this */
    public RemoteCommand lifetime(java.time.Duration workerLifetime) {
        this.lifetime = workerLifetime;
        return this;
    }

    /** @return the words of the JVM command, as {@code exec} runs them */
    public List<String> javaWords() {
        Objects.requireNonNull(classpath, "classpath");
        Objects.requireNonNull(mainClass, "mainClass");
        if (managerAddresses.isEmpty()) {
            throw new IllegalStateException("no manager address");
        }
        List<String> w = new ArrayList<>(LaunchSpec.splitWords(javaCommand));
        w.addAll(jvmOptions);
        w.add("-cp");
        w.add(classpath);
        w.add(mainClass);
        w.add("--connect");
        w.add(String.join(",", managerAddresses));
        w.add("--id");
        w.add(Integer.toString(workerId));
        w.add("--secret-stdin");
        if (lifetime != null) {
            w.add(LaunchSpec.LIFETIME_OPTION);
            w.add(Long.toString(lifetime.toMillis()));
        }
        return w;
    }

    /** @return the script {@code /bin/sh -c} runs: one line, no secret */
    public String script() {
        List<String> words = javaWords();
        String java = words.get(0);
        StringBuilder s = new StringBuilder("exec 2>&1; ");
        if (directory != null && !directory.isBlank()) {
            s.append("mkdir -p ").append(quote(directory)).append(" 2>/dev/null; cd ").append(quote(directory))
                    .append(" || { echo \"").append(FAILURE_PREFIX).append("cannot enter the working directory ")
                    .append(directory.replace("\"", "'")).append(" on $(uname -n) (jparallel.ssh.directory)\"; exit ")
                    .append(EXIT_NO_DIRECTORY).append("; }; ");
        }
        if (envPrefix != null && !envPrefix.isBlank()) {
            s.append(envPrefix.strip());
            s.append(envPrefix.strip().endsWith(";") || envPrefix.strip().endsWith("&") ? " " : "; ");
        }
        s.append("command -v ").append(quote(java)).append(" >/dev/null 2>&1 || { echo \"").append(FAILURE_PREFIX)
                .append("the java command ").append(java.replace("\"", "'")).append(" was not found on $(uname -n);")
                .append(" the PATH of the non-interactive shell is PATH=$PATH. Set jparallel.ssh.java to the full path")
                .append(" of java there, or set PATH in jparallel.ssh.env-prefix\"; exit ").append(EXIT_NO_JAVA)
                .append("; }; ");
        s.append("echo \"").append(PID_MARKER).append("$$\"; exec");
        for (String w : words) {
            s.append(' ').append(quote(w));
        }
        return s.toString();
    }

    /** @return what the exec channel runs: {@link #script()} under {@code /bin/sh -c} */
    public String command() {
        return "exec /bin/sh -c " + quote(script());
    }

    /**
     * The command that ends a worker: SIGTERM, up to 2 s for it to go, then SIGKILL. It touches the
     * process only while its command line still names {@code mainClass} (pids are reused).
     *
     * @param pid the worker's pid on the remote host
     * @param mainClass the worker main class
     * @return the command for an exec channel
     */
    public static String killCommand(long pid, String mainClass) {
        String p = Long.toString(pid);
        String script = "p=" + p + "; ours() { [ -r /proc/$p/cmdline ] || return 0; tr '\\000' ' ' </proc/$p/cmdline"
                + " | grep -q " + quote(mainClass) + "; }; kill -0 $p 2>/dev/null && ours || exit 0; kill -TERM $p;"
                + " i=0; while kill -0 $p 2>/dev/null && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done;"
                + " kill -0 $p 2>/dev/null && ours && kill -KILL $p; exit 0";
        return "exec /bin/sh -c " + quote(script);
    }

    /** @return {@code s} quoted for a POSIX shell (see {@link ShellWords#quote}) */
    public static String quote(String s) {
        return ShellWords.quote(s);
    }
}
