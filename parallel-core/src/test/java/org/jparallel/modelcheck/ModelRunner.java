package org.jparallel.modelcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A small runner of model-based randomized tests, run from a plain JUnit test: it generates sequences of
 * {@link Step}s from a model's state with a {@link Random} seeded per sequence, runs each step, checks the model's
 * invariant after every step and an end check after the last, and on a failure shrinks the sequence
 * ({@link Shrinker}) and throws a report with the seed, the shrunk steps and how to replay exactly that sequence.
 *
 * <p>The project's own runner, not jqwik: jqwik 1.10.1 prints on every run a notice from its author that AI agents
 * must not use the library, and this project (developed with AI agents) respects the author's wish; an older jqwik
 * would not change the wish.
 *
 * @param <S> the model's state: a fresh one per run (a run of a generated or a shrunk sequence); closed after the
 *            run when it is {@link AutoCloseable}
 */
public final class ModelRunner<S> {
    /** Makes a step fitting the current state, drawing its choices from {@code random}. */
    @FunctionalInterface
    public interface Generator<S> {
        Step<S> next(S state, Random random);
    }

    /**
     * One action of a sequence: what it does (its {@code description} is how reports show it), and when it can
     * (a step whose precondition does not hold is skipped when a shrunk sequence is replayed).
     */
    public record Step<S>(String description, Predicate<S> precondition, Consumer<S> effect) {
        public static <S> Step<S> of(String description, Consumer<S> effect) {
            return new Step<>(description, s -> true, effect);
        }

        public static <S> Step<S> of(String description, Predicate<S> precondition, Consumer<S> effect) {
            return new Step<>(description, precondition, effect);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /**
     * The budget of one test: the seed of its first sequence (the others' seeds are drawn from it), how many
     * sequences, the most actions in one, and how many re-runs and milliseconds shrinking a failure may take.
     */
    public record Settings(long seed, int sequences, int actions, int shrinkRuns, long shrinkMillis) {
        /**
         * Reads {@code model.LEVEL.sequences} (or {@code model.sequences}), likewise
         * {@code .actions}, {@code .seed} (random when not given), {@code .shrink.runs} and
         * {@code .shrink.seconds}, each falling back to the default given. Not {@code jparallel.model.*}: a
         * manager reads every {@code jparallel.*} system property as its configuration and refuses unknown keys, so
         * such a property on a Maven command line failed every end-to-end test beside the model's.
         */
        public static Settings fromSystemProperties(String level, int sequences, int actions, int shrinkRuns,
                int shrinkSeconds) {
            String seed = property(level, "seed");
            return new Settings(seed == null ? new Random().nextLong() : Long.parseLong(seed.trim()),
                    intProperty(level, "sequences", sequences), intProperty(level, "actions", actions),
                    intProperty(level, "shrink.runs", shrinkRuns), 1000L * intProperty(level, "shrink.seconds", shrinkSeconds));
        }

        private static String property(String level, String name) {
            String v = System.getProperty("model." + level + "." + name);
            return v != null && !v.isBlank() ? v : System.getProperty("model." + name);
        }

        private static int intProperty(String level, String name, int fallback) {
            String v = property(level, name);
            return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
        }
    }

    private record Kind<S>(int weight, Predicate<S> precondition, Generator<S> generator) { }

    /** What one run of a sequence did: the steps run (skipped ones left out), and its failure or {@code null}. */
    public record Run<S>(List<Step<S>> ran, Throwable failure, boolean failedAtEnd) {
        public boolean failed() {
            return failure != null;
        }
    }

    private final String level;
    private final Function<Random, S> initial;
    private final List<Kind<S>> kinds = new ArrayList<>();
    private Consumer<S> invariant = s -> { };
    private Consumer<S> atEnd = s -> { };
    private String replay = "";

    private ModelRunner(String level, Function<Random, S> initial) {
        this.level = level;
        this.initial = initial;
    }

    /**
     * @param level   the name of this test in its system properties ({@code model.LEVEL.sequences}) and in
     *                its summary line
     * @param initial makes the state a sequence starts from; its draws from the random decide its parameters
     */
    public static <S> ModelRunner<S> of(String level, Function<Random, S> initial) {
        return new ModelRunner<>(level, initial);
    }

    /** Adds a kind of action, chosen with the given weight among those whose precondition holds. */
    public ModelRunner<S> action(int weight, Predicate<S> precondition, Generator<S> generator) {
        kinds.add(new Kind<>(weight, precondition, generator));
        return this;
    }

    /** Checked after every step: throws when the state breaks a promise. */
    public ModelRunner<S> invariant(Consumer<S> check) {
        this.invariant = check;
        return this;
    }

    /** Run after the last step of every sequence (e.g. let everything finish, then check nothing was dropped). */
    public ModelRunner<S> atEnd(Consumer<S> check) {
        this.atEnd = check;
        return this;
    }

    /** How to rerun the test with Maven (e.g. {@code -pl parallel-core -am verify -Dtest=X}), for the report. */
    public ModelRunner<S> replayWith(String mavenArguments) {
        this.replay = mavenArguments;
        return this;
    }

    /**
     * Runs the budget of {@code settings}, prints a summary line ({@code MODEL-CAMPAIGN level=...}) a campaign
     * script reads, and throws an {@link AssertionError} with the report of the first failing sequence.
     */
    public void check(Settings settings) {
        long start = System.nanoTime();
        SplittableRandom seeds = new SplittableRandom(settings.seed());
        long sequences = 0;
        long actions = 0;
        String status = "SUCCESSFUL";
        long reportedSeed = settings.seed();
        try {
            for (int i = 0; i < settings.sequences(); i++) {
                long seed = i == 0 ? settings.seed() : seeds.nextLong();
                Run<S> run = generate(seed, settings.actions());
                sequences++;
                actions += run.ran().size();
                if (run.failed()) {
                    status = "FAILED";
                    reportedSeed = seed;
                    Shrinker<S> shrinker = new Shrinker<>(this, seed, settings.shrinkRuns(), settings.shrinkMillis());
                    Run<S> shrunk = shrinker.shrink(run);
                    throw new AssertionError(report(settings, i, seed, run, shrunk, shrinker), shrunk.failure());
                }
            }
        } finally {
            System.out.println("MODEL-CAMPAIGN level=" + level + " sequences=" + sequences + " actions=" + actions
                    + " status=" + status + " seed=" + reportedSeed + " base=" + settings.seed()
                    + " seconds=" + (System.nanoTime() - start) / 1_000_000_000);
        }
    }

    /** Generates and runs the sequence of {@code seed}: each step drawn from the state the previous ones left. */
    public Run<S> generate(long seed, int maxActions) {
        Random random = new Random(seed);
        S state = initial.apply(random);
        List<Step<S>> ran = new ArrayList<>();
        try {
            for (int n = 0; n < maxActions; n++) {
                Step<S> step = draw(state, random);
                if (step == null) {
                    break;
                }
                ran.add(step);
                step.effect().accept(state);
                invariant.accept(state);
            }
        } catch (Throwable failure) {
            close(state);
            return new Run<>(ran, failure, false);
        }
        return finish(state, ran);
    }

    /** Runs given steps from the initial state of {@code seed}, skipping those whose precondition does not hold. */
    Run<S> replay(long seed, List<Step<S>> steps) {
        S state = initial.apply(new Random(seed));
        List<Step<S>> ran = new ArrayList<>();
        try {
            for (Step<S> step : steps) {
                if (step.precondition().test(state)) {
                    ran.add(step);
                    step.effect().accept(state);
                    invariant.accept(state);
                }
            }
        } catch (Throwable failure) {
            close(state);
            return new Run<>(ran, failure, false);
        }
        return finish(state, ran);
    }

    private Run<S> finish(S state, List<Step<S>> ran) {
        try {
            atEnd.accept(state);
            return new Run<>(ran, null, false);
        } catch (Throwable failure) {
            return new Run<>(ran, failure, true);
        } finally {
            close(state);
        }
    }

    private Step<S> draw(S state, Random random) {
        List<Kind<S>> possible = kinds.stream().filter(k -> k.precondition().test(state)).toList();
        int total = possible.stream().mapToInt(Kind::weight).sum();
        if (total == 0) {
            return null;
        }
        int r = random.nextInt(total);
        for (Kind<S> k : possible) {
            r -= k.weight();
            if (r < 0) {
                Step<S> step = k.generator().next(state, random);
                Predicate<S> kindHolds = k.precondition();
                return new Step<>(step.description(), s -> kindHolds.test(s) && step.precondition().test(s),
                        step.effect());
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static void close(Object state) {
        if (state instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("closing the model's state failed: " + e);
            }
        }
    }

    private String report(Settings settings, int index, long seed, Run<S> original, Run<S> shrunk,
            Shrinker<S> shrinker) {
        StringBuilder b = new StringBuilder();
        b.append(level).append(": sequence ").append(index + 1).append(" of ").append(settings.sequences())
                .append(" failed; its seed ").append(seed).append(" (base seed ").append(settings.seed()).append(")\n");
        b.append("shrunk from ").append(original.ran().size()).append(" to ").append(shrunk.ran().size())
                .append(" action(s) in ").append(shrinker.runs()).append(" re-run(s), ")
                .append(shrinker.millis() / 1000.0).append(" s").append(shrinker.exhausted() ? " (budget spent)" : "")
                .append(":\n");
        for (int i = 0; i < shrunk.ran().size(); i++) {
            b.append(String.format("  %2d. %s%n", i + 1, shrunk.ran().get(i)));
        }
        b.append(shrunk.failedAtEnd() ? "  then the end of the sequence" : "  and the last step (or the check after it)")
                .append(" failed:\n  ").append(indent(shrunk.failure())).append('\n');
        if (shrunk != original) {
            b.append("the original sequence failed with:\n  ").append(indent(original.failure())).append('\n');
        }
        b.append("replay exactly this sequence (it shrinks again): mvn -B -o ").append(replay)
                .append(" -Dmodel.seed=").append(seed).append(" -Dmodel.sequences=1");
        return b.toString();
    }

    private static String indent(Throwable t) {
        return (t.getMessage() == null ? t.toString() : t instanceof AssertionError ? t.getMessage() : t.toString())
                .replace("\n", "\n  ");
    }

    /** @return one element of {@code options}, drawn from {@code random} */
    @SafeVarargs
    public static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }

    /** @return one element of {@code options}, drawn from {@code random} */
    public static <T> T pick(Random random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
