package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jparallel.Manager;
import org.jparallel.core.dispatch.Dispatcher;
import org.jparallel.core.dispatch.DispatcherFakes;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher starts a group that limits how many of its workers may be starting at once in waves: the next
 * worker starts when a starting one connects, is stopped, or its backend fails to start it (the wave's time
 * limit is an hour here, so only those events move it).
 */
class WorkerLauncherWavesTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final Dispatcher dispatcher = new Dispatcher(Manager.builder().settings(), new DispatcherFakes.Listener(),
            new AtomicInteger(1)::getAndIncrement);
    /** The starting workers' times in their wave, never up: only a connect, stop or failure moves a wave. */
    private final List<Long> waveTimers = new CopyOnWriteArrayList<>();
    private final WorkerLauncher launcher = new WorkerLauncher(Duration.ofHours(1),
            (millis, task) -> waveTimers.add(millis), loop, dispatcher, () -> false);

    /** A group starting one worker at a time, each start recorded; the ids in {@code failing} fail to start. */
    private static final class Group implements WorkerGroup {
        final List<List<Integer>> starts = new CopyOnWriteArrayList<>();
        final List<Integer> failing;
        /** Each start waits for this (a backend spawning a JVM or submitting a job). */
        final CountDownLatch spawned;

        Group(Integer... failing) {
            this(new CountDownLatch(0), failing);
        }

        Group(CountDownLatch spawned, Integer... failing) {
            this.spawned = spawned;
            this.failing = List.of(failing);
        }

        @Override
        public int size() {
            return 3;
        }

        @Override
        public String backendName() {
            return "test";
        }

        @Override
        public int startsAtOnce() {
            return 1;
        }

        @Override
        public List<WorkerHandle> start(LaunchSpec spec) {
            starts.add(spec.workerIds());
            try {
                spawned.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting " + spec.workerIds(), e);
            }
            if (failing.contains(spec.workerIds().get(0))) {
                throw new IllegalStateException("cannot start worker " + spec.workerIds());
            }
            return spec.workerIds().stream().map(DispatcherFakes.FakeHandle::new).map(h -> (WorkerHandle) h).toList();
        }
    }

    private static LaunchSpec spec(Integer... ids) {
        return new LaunchSpec(List.of(ids), "java", List.of(), "cp.jar", "Main", null, 1234, List.of(), "secret",
                "worker%d.out");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 30 s: " + what);
            Thread.sleep(1); // polling the launcher's threads, which have no event to wait for
        }
    }

    @AfterEach
    void close() {
        launcher.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void theNextWorkerStartsWhenTheStartingOneConnectsOrIsStopped() throws InterruptedException {
        Group g = new Group();
        launcher.launch(g, spec(1, 2, 3));
        await(() -> g.starts.size() == 1, "the first start");
        assertEquals(List.of(List.of(1)), g.starts);
        assertEquals(2, launcher.waitingToStart(), "workers 2 and 3 wait for worker 1");
        launcher.connected(1);
        await(() -> g.starts.size() == 2, "the start after worker 1 connected");
        assertEquals(1, launcher.waitingToStart());
        launcher.stop(new DispatcherFakes.FakeHandle(2));
        await(() -> g.starts.size() == 3, "the start after worker 2 was stopped");
        assertEquals(List.of(List.of(1), List.of(2), List.of(3)), g.starts);
        assertEquals(0, launcher.waitingToStart());
    }

    @Test
    void aStartingWorkersTimeInTheWaveRunsOnlyOnceItsBackendsStartReturned() throws InterruptedException {
        CountDownLatch spawned = new CountDownLatch(1);
        Group g = new Group(spawned);
        launcher.launch(g, spec(1, 2, 3));
        await(() -> g.starts.size() == 1, "the first start");
        assertEquals(List.of(), waveTimers, "worker 1's start has not returned: its time has not begun");
        spawned.countDown();
        await(() -> waveTimers.size() == 1, "worker 1's time in the wave");
        assertEquals(List.of(StartWaves.START_WAVE_MILLIS), waveTimers);
    }

    @Test
    void aWorkerItsBackendFailsToStartFreesItsPlace() throws InterruptedException {
        Group g = new Group(1);
        launcher.launch(g, spec(1, 2, 3));
        await(() -> g.starts.size() == 2, "the start after worker 1's failed");
        assertEquals(List.of(List.of(1), List.of(2)), g.starts);
        assertEquals(1, launcher.waitingToStart(), "worker 3 waits for worker 2");
    }

    @Test
    void noWorkerStartsOnceTheManagerStopsStartingThem() throws InterruptedException {
        Group g = new Group();
        launcher.launch(g, spec(1, 2, 3));
        await(() -> g.starts.size() == 1, "the first start");
        launcher.stopStarting(); // the manager's close, before it tells the dispatcher and workers
        launcher.connected(1);
        launcher.stop(new DispatcherFakes.FakeHandle(1));
        assertEquals(0, launcher.waitingToStart(), "the waiting workers are dropped");
        launcher.close();
        assertEquals(List.of(List.of(1)), g.starts, "workers 2 and 3 never started");
    }
}
