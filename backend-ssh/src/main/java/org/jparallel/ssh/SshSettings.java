package org.jparallel.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The settings of one {@link SshWorker}, with their defaults; filled by its setters. */
final class SshSettings {
    String user = System.getProperty("user.name");
    int port = 22;
    List<Path> identities = List.of();
    String passphraseEnv;
    Path knownHosts = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    HostKeyPolicy hostKeyPolicy = HostKeyPolicy.STRICT;
    String javaCommand = "java";
    String directory;
    String envPrefix;
    String classpath;
    boolean ship;
    boolean tunnel;
    Duration connectTimeout = Duration.ofSeconds(30);
    Map<String, String> env = System.getenv();

    /** @return a connector with these settings */
    SshConnector connector() throws SshSetupException {
        return new SshConnector(user, port, identities, passphraseEnv, knownHosts, hostKeyPolicy, connectTimeout, env);
    }
}
