package org.jparallel.local;

/**
 * A stand-in worker for the class sharing tests: a real JVM that loads a class of its own from a
 * jar, says so, and exits with the code in {@code -Dprobe.exit} (default 0), or, with
 * {@code -Dprobe.wait=true}, waits until it is stopped.
 */
public final class ArchiveProbeMain {
    private ArchiveProbeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("probe ran");
        if (Boolean.getBoolean("probe.wait")) {
            Thread.sleep(60_000);
        }
        System.exit(Integer.getInteger("probe.exit", 0));
    }
}
