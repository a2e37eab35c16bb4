package org.jparallel.tests.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.Manager;
import org.jparallel.WorkerInfo;
import org.jparallel.slurm.SlurmOptions;
import org.jparallel.slurm.SlurmWorkerArray;
import org.jparallel.tests.OnRealScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A manager JVM that exits without closing its manager: the core's shutdown hook stops every worker,
 * so scancel removes both the running array and a job still queued (one that would wait an hour).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlurmShutdownHookTest extends OnRealScheduler {
    SlurmShutdownHookTest() {
        super(SlurmCluster.CLUSTER);
    }

    @Test
    void exitWithoutCloseCancelsRunningAndQueuedJobs() throws Exception {
        String name = SlurmCluster.uniqueName("jp-hook");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                tempDir.toString(), name).redirectError(tempDir.resolve("child.log").toFile()).start();
        child.getOutputStream().close();
        String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(line != null && line.startsWith("READY"), line + "\n" + Files.readString(tempDir.resolve("child.log")));
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not exit");
        assertEquals(0, child.exitValue());
        long ms = SlurmCluster.awaitNoJob(name, 10);
        System.out.printf("Slurm shutdown hook: squeue lists no job %d ms after the manager JVM exited (%s)%n", ms, line);
    }

    /** The manager JVM: two running workers and one queued for an hour, then exit without close. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            String name = args[1];
            Manager manager = Manager.builder().outputPattern(dir.resolve("worker%d.output").toString())
                    .startTimeout(Duration.ofSeconds(120)).build();
            SlurmOptions o = new SlurmOptions().jobName(name).secretDir(dir.resolve("secrets"));
            manager.addWorker(new SlurmWorkerArray(2, o));
            manager.addWorker(new SlurmWorkerArray(1, new SlurmOptions().jobName(name).secretDir(dir.resolve("secrets"))
                    .extraOptions("--begin=now+3600")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<WorkerInfo> ws;
            while ((ws = manager.workers()).stream().filter(w -> w.state() == WorkerInfo.State.CONNECTED).count() < 2) {
                if (System.nanoTime() > deadline) {
                    System.out.println("ERROR not connected: " + ws);
                    System.exit(1);
                }
                Thread.sleep(20);
            }
            String[] out = new String[1];
            SlurmCluster.run(out, 15, "squeue", "-h", "-r", "-n", name, "-o", "%i|%T|%r");
            System.out.println("READY " + out[0].strip().replace('\n', ' '));
            System.out.flush();
            System.exit(0); // no close: the shutdown hook must cancel the jobs
        }
    }
}
