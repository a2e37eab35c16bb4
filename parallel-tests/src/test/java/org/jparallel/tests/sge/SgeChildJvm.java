package org.jparallel.tests.sge;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts {@link SgeManagerChild} in a JVM of its own, with DRMAA's jar, library path and environment when asked. */
final class SgeChildJvm {
    static final Path DRMAA_JAR = Path.of("/usr/share/java/drmaa.jar");
    static final Path DRMAA_LIB = Path.of("/usr/lib/gridengine-drmaa/lib");

    private SgeChildJvm() {
    }

    /** @return the child process; its standard error goes to {@code dir/child.log} */
    static Process start(String what, String mode, Path dir, String name) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        if (mode.equals("drmaa")) {
            cp = DRMAA_JAR + File.pathSeparator + cp; // the cluster's DRMAA implementation first
        }
        List<String> cmd = new ArrayList<>(List.of(javaBin));
        if (mode.equals("drmaa")) {
            // as docs/backend-sge.md tells DRMAA users: libdrmaa is loaded through JNI, which Java 24+ warns
            // about unless native access is enabled (Java 17 accepts the option too)
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(List.of("-cp", cp));
        cmd.add(SgeManagerChild.class.getName());
        cmd.addAll(List.of(what, mode, dir.toString(), name));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("child.log").toFile());
        Map<String, String> env = pb.environment();
        if (mode.equals("drmaa")) {
            env.merge("LD_LIBRARY_PATH", DRMAA_LIB.toString(), (a, b) -> b + File.pathSeparator + a);
            env.put("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=4096");
            env.putIfAbsent("SGE_ROOT", "/var/lib/gridengine");
            env.putIfAbsent("SGE_CELL", "default");
        }
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    /** @return the next line the child prints, or null at its end */
    static String readLine(Process p) throws IOException {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    /** @return the child's log, for messages */
    static String log(Path dir) {
        try {
            String s = Files.readString(dir.resolve("child.log"));
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
