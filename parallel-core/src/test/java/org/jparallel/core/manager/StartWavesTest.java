package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.junit.jupiter.api.Test;

/**
 * A group that limits how many of its workers may be starting at once is started in waves: the next worker
 * starts when a starting one connects, fails or is stopped, or when its time in the wave is up; a group without
 * a limit starts in one call, as before.
 */
class StartWavesTest {

    /** A group of {@code size} workers, at most {@code atOnce} starting at once; started only through the waves. */
    private record Group(int size, int atOnce) implements WorkerGroup {
        @Override
        public String backendName() {
            return "test";
        }

        @Override
        public int startsAtOnce() {
            return atOnce;
        }

        @Override
        public List<WorkerHandle> start(LaunchSpec spec) {
            throw new UnsupportedOperationException("the waves call the starter, not the group");
        }
    }

    private final List<List<Integer>> calls = new ArrayList<>();
    private final List<Long> timerDelays = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final StartWaves waves = new StartWaves((group, spec) -> calls.add(spec.workerIds()), (millis, task) -> {
        timerDelays.add(millis);
        timers.add(task);
    });

    private static LaunchSpec spec(Integer... ids) {
        return new LaunchSpec(List.of(ids), "java", List.of(), "cp.jar", "Main", null, 1234, List.of(), "secret",
                "worker%d.out");
    }

    @Test
    void aGroupWithoutALimitStartsAllItsWorkersInOneCall() {
        waves.launch(new Group(4, 0), spec(1, 2, 3, 4));
        assertEquals(List.of(List.of(1, 2, 3, 4)), calls);
        assertEquals(0, waves.waiting());
        assertEquals(List.of(), timers, "no wave to time");
    }

    @Test
    void fourWorkersTwoAtOnceStartTwoTogetherThenOneAsEachOfThoseConnects() {
        waves.launch(new Group(4, 2), spec(1, 2, 3, 4));
        assertEquals(List.of(List.of(1, 2)), calls, "the first wave in one call");
        assertEquals(2, waves.waiting());
        waves.ended(2);
        assertEquals(List.of(List.of(1, 2), List.of(3)), calls);
        waves.ended(2); // told twice (connected, then stopped): the place is freed once
        assertEquals(2, calls.size());
        waves.ended(1);
        assertEquals(List.of(List.of(1, 2), List.of(3), List.of(4)), calls);
        assertEquals(0, waves.waiting());
    }

    @Test
    void aWorkerThatDoesNotConnectHoldsItsPlaceOnlyUntilItsTimeInTheWaveIsUp() {
        waves.launch(new Group(3, 1), spec(7, 8, 9));
        assertEquals(List.of(List.of(7)), calls);
        waves.started(7);
        assertEquals(List.of(StartWaves.START_WAVE_MILLIS), timerDelays);
        timers.get(0).run(); // worker 7 has not connected in time: 8 starts anyway
        assertEquals(List.of(List.of(7), List.of(8)), calls);
        waves.started(8);
        waves.ended(7); // 7 connects late: it no longer held a place, so 9 still waits for 8
        assertEquals(2, calls.size());
        waves.ended(8);
        assertEquals(List.of(List.of(7), List.of(8), List.of(9)), calls);
        timers.forEach(Runnable::run); // the timers of workers that connected free nothing more
        assertEquals(3, calls.size());
    }

    @Test
    void aWorkersTimeInTheWaveRunsFromWhenItsStartReturnedNotFromWhenItWasHandedToTheLauncher() {
        waves.launch(new Group(3, 2), spec(1, 2, 3));
        assertEquals(List.of(List.of(1, 2)), calls);
        assertEquals(List.of(), timers, "no time runs while the backend is still starting them");
        waves.started(2);
        assertEquals(List.of(StartWaves.START_WAVE_MILLIS), timerDelays, "worker 2's time runs");
        timers.get(0).run();
        assertEquals(List.of(List.of(1, 2), List.of(3)), calls, "worker 2's time is up: 3 starts");
        waves.started(2); // told again after its place was freed: no second timer
        waves.started(4); // a worker the waves do not know
        assertEquals(1, timers.size());
    }

    @Test
    void aGroupWithoutALimitArmsNoTimer() {
        waves.launch(new Group(2, 0), spec(1, 2));
        waves.started(1);
        waves.started(2);
        assertEquals(List.of(), timers);
    }

    @Test
    void aLaterLaunchOfTheSameGroupWaitsBehindItsWaitingWorkers() {
        Group g = new Group(2, 1);
        waves.launch(g, spec(1, 2));
        waves.launch(g, spec(3)); // a replacement
        assertEquals(List.of(List.of(1)), calls);
        waves.ended(1);
        waves.ended(2);
        assertEquals(List.of(List.of(1), List.of(2), List.of(3)), calls);
    }

    @Test
    void closingDropsTheWaitingWorkers() {
        waves.launch(new Group(3, 1), spec(1, 2, 3));
        waves.close();
        waves.ended(1);
        timers.forEach(Runnable::run);
        assertEquals(List.of(List.of(1)), calls);
        assertEquals(0, waves.waiting());
    }
}
