package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real batch scheduler that end-to-end tests drive (the Grid Engine cell, the single-node Slurm): the
 * up-or-skip gate, running its commands, and waiting for its queue to forget a run's jobs. A scheduler
 * supplies only how to ask whether it is up and how to list the jobs of one name.
 */
public abstract class RealScheduler extends SchedulerCommands {
    private final String queueCommand;
    private final String notUp;
    private Boolean up;

    /**
     * @param queueCommand the command that lists the queue (for messages), e.g. {@code qstat}
     * @param notUp the message of a test that cannot run because the scheduler is down
     */
    protected RealScheduler(String queueCommand, String notUp) {
        this.queueCommand = queueCommand;
        this.notUp = notUp;
    }

    /** @return null when the scheduler answers, otherwise what it answered (printed when the gate closes) */
    protected abstract String whyDown();

    /** @return the jobs named {@code name} that the queue lists, in the scheduler's own form */
    public abstract List<?> jobsNamed(String name);

    /** @return the message of a test that cannot run because the scheduler is down */
    public final String notUp() {
        return notUp;
    }

    /**
     * Passes when the scheduler answers. Otherwise fails when {@code CI=true} (a scheduler that is not up
     * must fail the build) and skips the test elsewhere, both with {@link #notUp()}.
     */
    public final synchronized void requireUp() {
        if (up == null) {
            String why = whyDown();
            up = why == null;
            if (!up) {
                System.err.println(why);
            }
        }
        if (!up) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(notUp);
            }
            Assumptions.abort(notUp);
        }
    }

    /** Waits until the queue lists no job named {@code name}; fails after {@code seconds}. @return how long it took, ms */
    public final long awaitNoJob(String name, int seconds) throws InterruptedException {
        long t0 = System.nanoTime();
        List<?> jobs;
        while (!(jobs = jobsNamed(name)).isEmpty()) {
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(seconds)) {
                fail(queueCommand + " still lists " + jobs + " named " + name + " " + seconds + " s after the run ended");
            }
            Thread.sleep(100);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
