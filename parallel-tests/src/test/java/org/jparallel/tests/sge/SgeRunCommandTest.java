package org.jparallel.tests.sge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.tests.OnRealScheduler;
import org.jparallel.tests.cli.Cli;
import org.jparallel.tests.cli.RunChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code jparallel run --config} with the workers on the real Grid Engine: the same run, a changed file. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SgeRunCommandTest extends OnRealScheduler {
    SgeRunCommandTest() {
        super(SgeCell.CELL);
    }

    @Test
    void arrayWithFourFailuresOnGridEngineWorkers() throws Exception {
        String name = SgeCell.uniqueName("jp-run");
        Path config = tempDir.resolve("sge.properties");
        Files.write(config, List.of("jparallel.backend=sge", "jparallel.workers=2",
                "jparallel.manager.start-timeout=40s",
                "jparallel.worker.output=" + tempDir.resolve("w%d.out"),
                "jparallel.sge.job-name=" + name,
                "jparallel.sge.secret-dir=" + tempDir.resolve("secrets")));
        Path log = tempDir.resolve("run.log");
        Cli.Result r = Cli.run(RunChecks.fourFailing(200, log, "--config", config.toString()));
        System.out.println(r.out());
        RunChecks.assertFourFailed(200, log, r);
        SgeCell.awaitNoJob(name, 20);
    }
}
