package org.jparallel.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The manager process a {@link RunDirectory} belongs to, written in it ({@code owner}) so that a later manager can
 * tell a directory whose manager is certainly dead (left by a kill -9) from one whose manager still runs. A process
 * is named by its pid and start time on one kernel of one host: the host's name, the kernel's boot id and the pid
 * namespace ({@code /proc} on Linux). The start time is the kernel's, in clock ticks since the boot ({@code
 * /proc/PID/stat}'s 22nd field), exact and untouched by a step of the wall clock (the JDK's start instant is computed
 * from the boot's wall-clock time, which such a step moves: a live manager would look like another process). Nothing
 * is certain elsewhere: a directory written on another host (sharing
 * the home directory), in another boot or another pid namespace, or where any of these is unknown, is never judged
 * dead.
 *
 * @param pid the manager's pid
 * @param startTicks when the manager's process started, in clock ticks since the boot, -1 when unknown
 * @param host the host's name, empty when unknown
 * @param bootId the kernel's boot id, empty when unknown
 * @param pidNamespace the pid namespace ({@code pid:[N]}), empty when unknown
 */
public record RunOwner(long pid, long startTicks, String host, String bootId, String pidNamespace) {
    /** The file of a run directory that names its owner. */
    public static final String FILE = "owner";

    /** What this JVM's process may learn of another: its start time, if it runs. */
    @FunctionalInterface
    public interface Processes {
        /**
         * @param pid a pid
         * @return the start of the process with that pid (clock ticks since the boot): empty when there is none, -1
         *     when it runs but its start is unknown
         */
        Optional<Long> startTicks(long pid);

        /** @return the processes of this host, as {@code /proc} (else {@link ProcessHandle}) tells them */
        static Processes system() {
            return RunOwner::startTicksOf;
        }
    }

    /**
     * @param pid a pid
     * @return its process's start in clock ticks since the boot ({@code /proc/PID/stat}'s 22nd field): empty when
     *     there is no such process, -1 when it runs but its start cannot be read
     */
    static Optional<Long> startTicksOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            // "pid (comm) state ...": the command may hold spaces and parentheses; field 3 follows the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(fields[22 - 3]));
        } catch (IOException | RuntimeException e) { // no such process, no /proc, or a line not read: ask the JDK
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> -1L);
        }
    }

    /** @return this JVM's process, on this host, boot and pid namespace as far as they can be read */
    public static RunOwner current() {
        ProcessHandle self = ProcessHandle.current();
        return new RunOwner(self.pid(), startTicksOf(self.pid()).orElse(-1L),
                read(Path.of("/proc/sys/kernel/hostname")), read(Path.of("/proc/sys/kernel/random/boot_id")),
                link(Path.of("/proc/self/ns/pid")));
    }

    /**
     * Whether the process this owner names is certainly no longer running: it ran on this host, in this boot and
     * pid namespace (all three known and equal), and its pid is free now or names a process started at another time.
     *
     * @param here this process's owner ({@link #current()})
     * @param processes the processes running here
     * @return true only when certain; false when it runs, or when it cannot be told (another host, boot or
     *     namespace, something unknown)
     */
    public boolean certainlyDead(RunOwner here, Processes processes) {
        if (startTicks < 0 || host.isEmpty() || bootId.isEmpty() || pidNamespace.isEmpty()
                || !host.equals(here.host) || !bootId.equals(here.bootId) || !pidNamespace.equals(here.pidNamespace)) {
            return false;
        }
        if (pid == here.pid) { // this process: alive, whatever its recorded start says
            return false;
        }
        Optional<Long> started = processes.startTicks(pid);
        if (started.isEmpty()) {
            return true;
        }
        long now = started.get();
        return now >= 0 && now != startTicks; // its pid taken by a later process
    }

    /** @return the text of an {@code owner} file: {@code key value} lines */
    public String text() {
        return "pid " + pid + "\nticks " + startTicks + "\nhost " + host + "\nboot " + bootId + "\npidns "
                + pidNamespace + "\n";
    }

    /**
     * @param text an {@code owner} file's text
     * @return the owner it names, or empty when it names none (a file cut short, or of another format)
     */
    public static Optional<RunOwner> parse(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                values.put(line.substring(0, sp), line.substring(sp + 1).strip());
            }
        }
        try {
            String host = values.get("host");
            String boot = values.get("boot");
            String ns = values.get("pidns");
            if (host == null || boot == null || ns == null) {
                return Optional.empty();
            }
            return Optional.of(new RunOwner(Long.parseLong(values.get("pid")), Long.parseLong(values.get("ticks")),
                    host, boot, ns));
        } catch (RuntimeException e) { // a number missing or malformed
            return Optional.empty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String link(Path file) {
        try {
            return Files.readSymbolicLink(file).toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
