package org.jparallel.tests.model;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@link ApiModel}'s blocking calls on a thread of their own with a deadline, so that a hang in the product
 * is a failure naming its action rather than a test that never ends.
 */
final class ApiDeadline {
    private final long seconds;
    /** Says the sequence's settings, with the seed in a failure's report. */
    private final java.util.function.Supplier<String> settings;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "model-action");
        t.setDaemon(true);
        return t;
    });

    ApiDeadline(long seconds, java.util.function.Supplier<String> settings) {
        this.seconds = seconds;
        this.settings = settings;
    }

    /** Runs {@code r}, failing with an {@link AssertionError} naming {@code action} when it does not end in time. */
    void run(String action, Runnable r) {
        Future<?> f = runner.submit(r);
        try {
            f.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("hung: " + action + " did not return in " + seconds + " s (" + settings.get()
                    + ")");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError(action + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + action);
        }
    }

    void shutdown() {
        runner.shutdownNow();
    }
}
