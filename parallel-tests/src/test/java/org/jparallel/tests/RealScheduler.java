package org.jparallel.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * A real batch scheduler that end-to-end tests drive (the Grid Engine cell, the single-node Slurm): the
 * up-or-skip gate, and waiting for its queue to forget a run's jobs. A scheduler supplies only how to ask
 * whether it is up and how to list the jobs of one name.
 */
public final class RealScheduler {
    private final String queueCommand;
    private final String notUp;
    private final Supplier<String> whyDown;
    private final Function<String, List<?>> jobsNamed;
    private Boolean up;

    /**
     * @param queueCommand the command that lists the queue (for messages), e.g. {@code qstat}
     * @param notUp the message of a test that cannot run because the scheduler is down
     * @param whyDown asks the scheduler: null when it answers, otherwise what it answered (printed once)
     * @param jobsNamed the jobs of a name that the queue lists, in the scheduler's own form
     */
    public RealScheduler(String queueCommand, String notUp, Supplier<String> whyDown,
            Function<String, List<?>> jobsNamed) {
        this.queueCommand = queueCommand;
        this.notUp = notUp;
        this.whyDown = whyDown;
        this.jobsNamed = jobsNamed;
    }

    /** @return the jobs named {@code name} that the queue lists, in the scheduler's own form */
    public List<?> jobsNamed(String name) {
        return jobsNamed.apply(name);
    }

    /** @return the message of a test that cannot run because the scheduler is down */
    public final String notUp() {
        return notUp;
    }

    /**
     * Passes when the scheduler answers. Otherwise fails when {@code CI=true} (a scheduler that is not up
     * must fail the build) and skips the test elsewhere, both with {@link #notUp()}.
     */
    public synchronized void requireUp() {
        if (up == null) {
            String why = whyDown.get();
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
    public long awaitNoJob(String name, int seconds) throws InterruptedException {
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
