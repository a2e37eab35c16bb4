package org.jparallel.spi.batch;

import java.nio.file.Path;
import java.util.List;
import org.jparallel.spi.LaunchSpec;

/**
 * A manager's JVM as a kill -9 ends it, for {@link KilledManagerRunDirectoryTest}: starts a batch group (its job
 * submitted to the fake scheduler, id 42), so that its run directory exists with the secret, then halts without any
 * of its clean-up. Arguments: the secret directory, the worker output directory.
 */
public final class KilledManagerChild {
    private KilledManagerChild() {
    }

    public static void main(String[] args) throws Exception {
        FakeRunner runner = new FakeRunner().answer("/bin/sh", 0, "42\n");
        BatchOptions.Basic options = new BatchOptions.Basic().command("sub", "/bin/sh").secretDir(Path.of(args[0]));
        QueueView view = new QueueView(new FakeScheduler(), options, runner, System::nanoTime, 1_000);
        new BatchWorkerGroup<>(2, "fake", view, options).start(new LaunchSpec(List.of(1, 2), "java", List.of(), "cp",
                "Main", null, 4000, List.of(), "s3cret", Path.of(args[1]).resolve("w%d.out").toString()));
        System.out.flush();
        Runtime.getRuntime().halt(0); // as kill -9: no shutdown hook, no worker stopped, nothing deleted
    }
}
