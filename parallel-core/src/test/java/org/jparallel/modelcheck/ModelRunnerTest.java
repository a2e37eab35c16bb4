package org.jparallel.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jparallel.modelcheck.ModelRunner.Run;
import org.jparallel.modelcheck.ModelRunner.Settings;
import org.jparallel.modelcheck.ModelRunner.Step;
import org.junit.jupiter.api.Test;

/** The runner on a toy model with a planted bug: a counter that must stay under a limit. */
class ModelRunnerTest {
    /** The toy state: a counter, and whether it was closed after its run. */
    static final class Counter implements AutoCloseable {
        int value;
        boolean closed;
        static final List<Counter> MADE = new ArrayList<>();

        Counter() {
            MADE.add(this);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static ModelRunner<Counter> runner(int limit) {
        return ModelRunner.<Counter>of("toy", r -> new Counter())
                .action(3, s -> true, (s, r) -> {
                    int k = r.nextInt(1, 6);
                    return Step.of("add " + k, c -> c.value += k);
                })
                .action(1, s -> s.value > 0, (s, r) -> {
                    int k = r.nextInt(1, s.value + 1);
                    return Step.of("take " + k, c -> c.value >= k, c -> c.value -= k);
                })
                .action(1, s -> true, (s, r) -> Step.of("look", c -> { }))
                .invariant(c -> {
                    if (c.value >= limit) {
                        throw new AssertionError("the counter broke its promise:\n  it reached " + c.value
                                + ", over " + limit);
                    }
                })
                .replayWith("-pl parallel-core -am verify -Dtest=Toy");
    }

    @Test
    void theSameSeedGivesTheSameSequence() {
        for (long seed : new long[] {1, -7799105537214808069L, 42}) {
            List<String> first = descriptions(runner(1_000_000).generate(seed, 40));
            List<String> again = descriptions(runner(1_000_000).generate(seed, 40));
            assertEquals(40, first.size());
            assertEquals(first, again);
        }
        assertFalse(descriptions(runner(1_000_000).generate(1, 40)).equals(descriptions(runner(1_000_000).generate(2, 40))));
    }

    @Test
    void aFailureIsShrunkToAMinimalSequenceOfTheStepsThatMatter() {
        for (long seed = 0; seed < 30; seed++) {
            Run<Counter> run = runner(12).generate(seed, 40);
            if (!run.failed()) {
                continue;
            }
            Shrinker<Counter> shrinker = new Shrinker<>(runner(12), seed, 10_000, 60_000);
            Run<Counter> shrunk = shrinker.shrink(run);
            assertTrue(shrunk.failed());
            assertTrue(shrunk.ran().size() <= run.ran().size());
            List<String> steps = descriptions(shrunk);
            assertTrue(steps.stream().allMatch(d -> d.startsWith("add ")), "only the adds matter: " + steps);
            int sum = steps.stream().mapToInt(d -> Integer.parseInt(d.substring(4))).sum();
            int smallest = steps.stream().mapToInt(d -> Integer.parseInt(d.substring(4))).min().orElseThrow();
            assertTrue(sum >= 12 && sum - smallest < 12, "no single add can go: " + steps);
            assertFalse(shrinker.exhausted());
        }
    }

    @Test
    void aStepWhosePreconditionNoLongerHoldsIsSkipped() {
        ModelRunner<Counter> r = runner(1_000_000);
        Run<Counter> run = r.generate(3, 40);
        List<Step<Counter>> withoutAdds = run.ran().stream().filter(s -> !s.description().startsWith("add")).toList();
        Run<Counter> replay = r.replay(3, withoutAdds);
        assertTrue(replay.ran().stream().noneMatch(s -> s.description().startsWith("take")), descriptions(replay).toString());
        assertFalse(replay.failed());
    }

    @Test
    void shrinkingStopsAtItsBudget() {
        long seed = firstFailingSeed();
        Shrinker<Counter> shrinker = new Shrinker<>(runner(12), seed, 2, 60_000);
        shrinker.shrink(runner(12).generate(seed, 40));
        assertEquals(2, shrinker.runs());
        assertTrue(shrinker.exhausted());
    }

    @Test
    void theReportGivesSeedShrunkStepsFailureAndAReplayThatFailsTheSameWay() {
        Counter.MADE.clear();
        String report = null;
        for (long base = 1; report == null || report.startsWith("toy: sequence 1 of"); base++) {
            long b = base; // a base seed whose first sequence passes: the failing one has a seed of its own
            report = assertThrows(AssertionError.class,
                    () -> runner(30).check(new Settings(b, 200, 10, 1000, 60_000))).getMessage();
        }
        Matcher m = Pattern.compile("its seed (-?\\d+) \\(base seed \\d+\\)").matcher(report);
        assertTrue(m.find(), report);
        long seed = Long.parseLong(m.group(1));
        assertTrue(report.contains("-Dmodel.seed=" + seed + " -Dmodel.sequences=1"), report);
        assertTrue(report.contains("  1. add "), report);
        assertTrue(report.contains("it reached "), report);
        assertTrue(Counter.MADE.stream().allMatch(c -> c.closed), "every state is closed after its run");

        AssertionError replayed = assertThrows(AssertionError.class,
                () -> runner(30).check(new Settings(seed, 1, 10, 1000, 60_000)));
        assertTrue(replayed.getMessage().startsWith("toy: sequence 1 of 1 failed; its seed " + seed), replayed.getMessage());
        assertEquals(shrunkSteps(report), shrunkSteps(replayed.getMessage()));
    }

    private static List<String> shrunkSteps(String report) {
        return report.lines().filter(l -> l.matches("\\s+\\d+\\. .*")).toList();
    }

    @Test
    void aFailureOfAnotherKindDoesNotCountAsTheSame() {
        String kind = Shrinker.kindOf(new AssertionError("it broke its promise:\n  task 5 was dropped\n  task 6 ended twice"));
        assertEquals("task # was dropped", kind);
        AssertionError original = new AssertionError("x");
        assertTrue(Shrinker.sameKind(kind, original, new AssertionError("header:\n  task 9 ended twice\n  task 12 was dropped")));
        assertFalse(Shrinker.sameKind(kind, original, new AssertionError("header:\n  task 9 ended twice")));
        assertFalse(Shrinker.sameKind(kind, original, new IllegalStateException("task 5 was dropped")));
    }

    private static long firstFailingSeed() {
        for (long seed = 0; ; seed++) {
            if (runner(12).generate(seed, 40).failed()) {
                return seed;
            }
        }
    }

    private static List<String> descriptions(Run<Counter> run) {
        assertNotNull(run);
        return run.ran().stream().map(Step::description).toList();
    }
}
