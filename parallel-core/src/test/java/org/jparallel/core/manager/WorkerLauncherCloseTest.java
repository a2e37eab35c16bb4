package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.Manager;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.dispatch.DispatcherFakes;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher's close tells each group it launched, once, that the manager closes ({@link
 * WorkerGroup#managerClosing()}), and waits for it as for the workers' stops; a group whose step throws keeps no
 * other from being told; and it returns only once a worker start it interrupted has ended (a backend's start writes
 * its workers' reasons to their output files as it ends).
 */
class WorkerLauncherCloseTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final Dispatcher dispatcher = new Dispatcher(Manager.builder().settings(), new DispatcherFakes.Listener(),
            new AtomicInteger(1)::getAndIncrement);
    private final WorkerLauncher launcher = new WorkerLauncher(Duration.ofHours(1), (millis, task) -> { }, loop,
            dispatcher, () -> false);

    /** A group counting the close steps it is told of; one whose step throws when {@code throwing}. */
    private static final class Group implements WorkerGroup {
        final AtomicInteger closings = new AtomicInteger();
        final boolean throwing;

        Group(boolean throwing) {
            this.throwing = throwing;
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public String backendName() {
            return "test";
        }

        @Override
        public List<WorkerHandle> start(LaunchSpec spec) {
            return spec.workerIds().stream().map(DispatcherFakes.FakeHandle::new).map(h -> (WorkerHandle) h).toList();
        }

        @Override
        public void managerClosing() {
            closings.incrementAndGet();
            if (throwing) {
                throw new IllegalStateException("the group's close step failed");
            }
        }
    }

    private static LaunchSpec spec(int id) {
        return new LaunchSpec(List.of(id), "java", List.of(), "cp.jar", "Main", null, 1234, List.of(), "secret",
                "out-%d.log");
    }

    /** A group whose close step waits for the test's word. */
    private static final class SlowGroup implements WorkerGroup {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean finished;

        @Override
        public int size() {
            return 1;
        }

        @Override
        public String backendName() {
            return "slow";
        }

        @Override
        public List<WorkerHandle> start(LaunchSpec spec) {
            return spec.workerIds().stream().map(DispatcherFakes.FakeHandle::new).map(h -> (WorkerHandle) h).toList();
        }

        @Override
        public void managerClosing() {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished = true;
        }
    }

    @Test
    void theCloseReturnsOnlyOnceTheGroupsStepEnded() throws Exception {
        SlowGroup g = new SlowGroup();
        launcher.launch(g, spec(1));
        Thread closing = new Thread(launcher::close, "test-close");
        closing.start();
        assertTrue(g.entered.await(30, TimeUnit.SECONDS), "the close tells the group");
        closing.join(200); // a close that did not wait would have returned by now
        assertTrue(closing.isAlive(), "the close waits for the group's step");
        g.release.countDown();
        closing.join(30_000);
        assertFalse(closing.isAlive());
        assertTrue(g.finished);
    }

    /** A group whose start waits until interrupted, then writes its worker's reason a moment later, as SSH's does. */
    private static final class InterruptedStartGroup implements WorkerGroup {
        final CountDownLatch entered = new CountDownLatch(1);
        volatile boolean reasonWritten;

        @Override
        public int size() {
            return 1;
        }

        @Override
        public String backendName() {
            return "interrupted";
        }

        @Override
        public List<WorkerHandle> start(LaunchSpec spec) {
            entered.countDown();
            try {
                new CountDownLatch(1).await(); // until the close interrupts the start
            } catch (InterruptedException e) {
                try {
                    Thread.sleep(300); // the backend's own wind-down (closing a session), not the test's timing
                } catch (InterruptedException again) {
                    Thread.currentThread().interrupt();
                }
                reasonWritten = true;
            }
            return List.of();
        }
    }

    @Test
    void theCloseReturnsOnlyOnceAStartItInterruptedHasEnded() throws Exception {
        InterruptedStartGroup g = new InterruptedStartGroup();
        launcher.launch(g, spec(1));
        assertTrue(g.entered.await(30, TimeUnit.SECONDS), "the start runs");
        launcher.close();
        assertTrue(g.reasonWritten, "the interrupted start wrote its worker's reason before the close returned");
    }

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully();
    }

    @Test
    void eachGroupIsToldOnce() {
        Group replaced = new Group(false);
        Group failing = new Group(true);
        launcher.launch(replaced, spec(1));
        launcher.launch(replaced, spec(2)); // a replacement: the same group again
        launcher.launch(failing, spec(3));
        launcher.close();
        assertEquals(1, replaced.closings.get(), "told once");
        assertEquals(1, failing.closings.get());
        launcher.close();
        assertEquals(1, replaced.closings.get(), "a second close tells no one again");
    }
}
