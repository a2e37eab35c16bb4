package org.jparallel.tests.slurm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.tests.OnRealScheduler;
import org.jparallel.tests.cli.Cli;
import org.jparallel.tests.cli.RunChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code jparallel run --config} with the workers on the real Slurm: the same run, a changed file. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SlurmRunCommandTest extends OnRealScheduler {
    SlurmRunCommandTest() {
        super(SlurmCluster.CLUSTER);
    }

    @Test
    void arrayWithFourFailuresOnSlurmWorkers() throws Exception {
        String name = SlurmCluster.uniqueName("jp-run");
        Path config = tempDir.resolve("slurm.properties");
        Files.write(config, List.of("jparallel.backend=slurm", "jparallel.workers=2",
                "jparallel.manager.start-timeout=40s",
                "jparallel.worker.output=" + tempDir.resolve("w%d.out"),
                "jparallel.slurm.job-name=" + name,
                "jparallel.slurm.partition=debug",
                "jparallel.slurm.time=5",
                "jparallel.slurm.secret-dir=" + tempDir.resolve("secrets")));
        Path log = tempDir.resolve("run.log");
        Cli.Result r = Cli.run(RunChecks.fourFailing(200, log, "--config", config.toString()));
        System.out.println(r.out());
        RunChecks.assertFourFailed(200, log, r);
        SlurmCluster.awaitNoJob(name, 20);
    }
}
