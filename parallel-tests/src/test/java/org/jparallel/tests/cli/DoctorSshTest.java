package org.jparallel.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jparallel doctor} against the real sshd of {@code scripts/sshd-up.sh} (127.0.0.1:2222): a known
 * host with java passes, an unknown host key fails with the ssh-keyscan line, a missing java names the key.
 */
class DoctorSshTest {
    private static final Path DIR = Path.of(System.getenv().getOrDefault("JPARALLEL_SSHD_DIR", "/var/lib/jparallel-sshd"));
    private static final int PORT = Integer.parseInt(System.getenv().getOrDefault("JPARALLEL_SSHD_PORT", "2222"));

    @TempDir
    Path dir;

    @BeforeEach
    void requireSshd() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", PORT), 2000);
        } catch (IOException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("sshd is not up: run scripts/sshd-up.sh");
            }
            Assumptions.abort("sshd is not up: run scripts/sshd-up.sh");
        }
    }

    private Cli.Result doctor(String knownHosts, String... more) throws IOException {
        Path f = dir.resolve("jparallel.properties");
        List<String> lines = new java.util.ArrayList<>(List.of("jparallel.backend=ssh", "jparallel.workers=1",
                "jparallel.ssh.hosts=127.0.0.1", "jparallel.ssh.port=" + PORT, "jparallel.ssh.user=root",
                "jparallel.ssh.identity=" + DIR.resolve("client/id_ed25519"), "jparallel.ssh.known-hosts=" + knownHosts,
                "jparallel.worker.output=" + dir.resolve("w%d.output")));
        lines.addAll(List.of(more));
        Files.write(f, lines);
        return Cli.run("doctor", "--config", f.toString(), "--no-probe");
    }

    @Test
    void aKnownHostWithJavaPasses() throws IOException {
        Cli.Result r = doctor(DIR.resolve("known_hosts").toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("[ OK ] ssh host root@127.0.0.1:" + PORT + " (group default): host key known"), r::toString);
        assertTrue(r.out().contains("logged in, java: "), r::toString);
    }

    @Test
    void anUnknownHostKeyFailsWithTheLineThatTrustsIt() throws IOException {
        Path empty = Files.createFile(dir.resolve("known_hosts"));
        Cli.Result r = doctor(empty.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("answers, but its host key is refused"), r::toString);
        assertTrue(r.out().contains("ssh-keyscan -p " + PORT + " -t ed25519 127.0.0.1 >> " + empty), r::toString);
        assertEquals(0, Files.size(empty), "doctor never writes known_hosts");
    }

    @Test
    void aMissingJavaNamesTheKeys() throws IOException {
        Cli.Result r = doctor(DIR.resolve("known_hosts").toString(), "jparallel.ssh.java=/nonexistent/bin/java");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("`/nonexistent/bin/java -version` exited with 127"), r::toString);
        assertTrue(r.out().contains("fix: set jparallel.ssh.java to the full path of java 17+"), r::toString);
    }
}
