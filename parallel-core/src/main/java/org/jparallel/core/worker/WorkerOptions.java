package org.jparallel.core.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jparallel.core.protocol.MessageDecoder;
import org.jparallel.core.protocol.Secret;
import org.jparallel.core.tls.Fingerprint;
import org.jparallel.spi.LaunchSpec;

/**
 * A worker's command-line options. The secret is read from the environment ({@code
 * JPARALLEL_SECRET}), a file ({@code --secret-file}) or the first line of standard input ({@code
 * --secret-stdin}, whose end then means the starter is gone; or {@code --secret-stdin-once}, whose
 * end means nothing: the local backend writes the secret and closes the pipe), never from the
 * command line, where {@code ps} would show it. A secret from the environment is inherited by every
 * process a task starts (a JVM cannot drop a variable from its own environment); the other ways
 * leave no trace there. When the manager runs TLS, the
 * secret text is {@code SECRET~FINGERPRINT}: the SHA-256 fingerprint of the manager's certificate
 * comes with the secret, by the same channel, and the worker accepts no other certificate.
 *
 * @param addresses manager addresses to try, {@code host:port}
 * @param workerId the id the manager gave this worker (0 when started by hand)
 * @param secret the run's secret
 * @param connectTimeout how long to keep trying to reach the manager before giving up
 * @param tlsFingerprint the pinned SHA-256 fingerprint of the manager's certificate, or {@code null}
 *     when the manager does not run TLS
 * @param lifetimeEndNanos when this worker's allocation ends ({@link System#nanoTime()}), from {@code
 *     --lifetime-ms} counted from the worker's start; {@link #NO_END} when its life has no set end
 * @param slots how many tasks the worker runs at once, from {@code --slots N} or {@code --slots auto}
 *     (see {@link #slotCount}); 1 by default
 */
public record WorkerOptions(List<String> addresses, int workerId, Secret secret, Duration connectTimeout,
                            String tlsFingerprint, long lifetimeEndNanos, int slots) {

    /** The option giving how many tasks the worker runs at once: a number, or {@code auto}. */
    public static final String SLOTS = LaunchSpec.SLOTS_OPTION;

    /** Options for a worker with one slot. */
    public WorkerOptions(List<String> addresses, int workerId, Secret secret, Duration connectTimeout,
                         String tlsFingerprint, long lifetimeEndNanos) {
        this(addresses, workerId, secret, connectTimeout, tlsFingerprint, lifetimeEndNanos, 1);
    }

    /**
     * @param value a number of slots, or {@code auto}: the cores the scheduler gave the job ({@code NSLOTS}
     *     on Grid Engine, {@code SLURM_CPUS_PER_TASK} on Slurm), else the machine's cores
     * @return the number of slots, at least 1
     * @throws IllegalArgumentException when the value is neither
     */
    public static int slotCount(String value, Map<String, String> env) {
        if ("auto".equalsIgnoreCase(value.trim())) {
            for (String var : List.of("NSLOTS", "SLURM_CPUS_PER_TASK")) {
                String v = env.get(var);
                if (v != null && v.trim().matches("[1-9][0-9]{0,3}")) {
                    return Integer.parseInt(v.trim());
                }
            }
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MessageDecoder.MAX_SLOTS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(SLOTS + " needs a number of task slots (1 to " + MessageDecoder.MAX_SLOTS
                + ") or 'auto', got '" + value + "'");
    }

    /** A {@link #lifetimeEndNanos()} meaning the worker's life has no set end. */
    public static final long NO_END = Long.MIN_VALUE;

    /** The option giving the worker's lifetime in milliseconds, counted from its start. */
    public static final String LIFETIME_MS = LaunchSpec.LIFETIME_OPTION;

    /** Options for a worker whose life has no set end. */
    public WorkerOptions(List<String> addresses, int workerId, Secret secret, Duration connectTimeout,
                         String tlsFingerprint) {
        this(addresses, workerId, secret, connectTimeout, tlsFingerprint, NO_END, 1);
    }

    /** @return how long this worker has left to live, in milliseconds (at least 0), or -1 when its life has no set end */
    public long remainingLifetimeMillis() {
        return lifetimeEndNanos == NO_END ? -1 : Math.max(0, (lifetimeEndNanos - System.nanoTime()) / 1_000_000);
    }

    /**
     * @return these options for a worker returning to a restarted manager, which did not start it: the worker
     *     id is 0, as for a worker started by hand (the new manager gives it an id of its own)
     */
    public WorkerOptions returning() {
        return new WorkerOptions(addresses, 0, secret, connectTimeout, tlsFingerprint, lifetimeEndNanos);
    }

    /** Separates the secret from the TLS certificate fingerprint in the secret text. */
    public static final String FINGERPRINT_SEPARATOR = "~";

    /** Options for a manager without TLS. */
    public WorkerOptions(List<String> addresses, int workerId, Secret secret, Duration connectTimeout) {
        this(addresses, workerId, secret, connectTimeout, null);
    }

    /** @return true when the worker speaks TLS and pins {@link #tlsFingerprint()} */
    public boolean tls() {
        return tlsFingerprint != null;
    }

    /** Reads the secret from standard input and exits when it closes (a starter that holds it open). */
    public static final String SECRET_STDIN = "--secret-stdin";
    /** Reads the secret from standard input, whose end then means nothing (a starter that closes it). */
    public static final String SECRET_STDIN_ONCE = "--secret-stdin-once";

    static final String USAGE = "usage: java -cp CLASSPATH " + WorkerMain.class.getName()
            + " --connect HOST:PORT[,HOST:PORT...] [--id N] [--secret-file FILE | --secret-stdin"
            + " | --secret-stdin-once]"
            + " [--connect-timeout SECONDS] [--lifetime-ms MILLIS] [--slots N|auto]   (default secret source: the JPARALLEL_SECRET environment variable)";

    /**
     * @param args the command line
     * @param env the environment
     * @return the options
     * @throws IllegalArgumentException with a message for the user when the options are wrong
     */
    public static WorkerOptions parse(String[] args, Map<String, String> env) {
        List<String> addresses = new ArrayList<>();
        int id = 0;
        String secretFile = null;
        boolean secretStdin = false;
        long connectTimeoutSeconds = 60;
        long lifetimeEnd = NO_END;
        int slots = 1;
        long startedAt = System.nanoTime();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--connect" -> {
                    for (String addr : value(args, ++i, a).split(",")) {
                        if (!addr.isBlank()) {
                            checkAddress(addr.trim());
                            addresses.add(addr.trim());
                        }
                    }
                }
                case "--id" -> id = intValue(args, ++i, a);
                case "--secret-file" -> secretFile = value(args, ++i, a);
                case SECRET_STDIN, SECRET_STDIN_ONCE -> secretStdin = true;
                case "--connect-timeout" -> connectTimeoutSeconds = intValue(args, ++i, a);
                case LIFETIME_MS -> lifetimeEnd = startedAt + Math.multiplyExact(lifetimeValue(args, ++i, a), 1_000_000L);
                case SLOTS -> slots = slotCount(value(args, ++i, a), env);
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no manager address given\n" + USAGE);
        }
        String[] credentials = readSecret(secretFile, secretStdin, env);
        return new WorkerOptions(addresses, id, Secret.fromText(credentials[0]),
                Duration.ofSeconds(Math.max(1, connectTimeoutSeconds)), credentials[1], lifetimeEnd, slots);
    }

    /** @return the secret text (checked) and the fingerprint, or {@code null} for none */
    private static String[] readSecret(String file, boolean stdin, Map<String, String> env) {
        String text;
        String source;
        try {
            if (file != null) {
                source = "the file " + file;
                text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
            } else if (stdin) {
                source = "standard input";
                text = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
            } else {
                source = "the environment variable " + LaunchSpec.SECRET_ENV;
                text = env.get(LaunchSpec.SECRET_ENV);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the secret: " + e);
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no secret in " + source + "; a worker needs the secret of the manager's run");
        }
        String secretText = text.trim();
        String fingerprint = null;
        int sep = secretText.indexOf(FINGERPRINT_SEPARATOR);
        try {
            if (sep >= 0) {
                fingerprint = Fingerprint.parse(secretText.substring(sep + 1));
                secretText = secretText.substring(0, sep);
            }
            Secret.fromText(secretText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad secret in " + source + ": " + e.getMessage());
        }
        return new String[] {secretText, fingerprint};
    }

    /** @return whether {@code args} take the secret from the environment (no file, no standard input) */
    static boolean secretFromEnvironment(String[] args) {
        List<String> a = List.of(args);
        return !a.contains("--secret-file") && !a.contains(SECRET_STDIN) && !a.contains(SECRET_STDIN_ONCE);
    }

    private static void checkAddress(String addr) {
        int colon = addr.lastIndexOf(':');
        if (colon <= 0 || colon == addr.length() - 1) {
            throw new IllegalArgumentException("bad manager address '" + addr + "': expected HOST:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(addr.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in manager address '" + addr + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad port in manager address '" + addr + "': expected 1..65535");
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static long lifetimeValue(String[] args, int i, String option) {
        String v = value(args, i, option);
        try {
            long ms = Long.parseLong(v);
            if (ms >= 0 && ms <= 100L * 365 * 24 * 3600 * 1000) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a number of milliseconds (0 or more), got '" + v + "'");
    }

    private static int intValue(String[] args, int i, String option) {
        String v = value(args, i, option);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + v + "'");
        }
    }

    /** @return the host part of an address, without IPv6 brackets */
    static String host(String address) {
        String h = address.substring(0, address.lastIndexOf(':'));
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** @return the port part of an address */
    static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
