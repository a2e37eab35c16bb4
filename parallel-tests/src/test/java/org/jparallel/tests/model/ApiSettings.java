package org.jparallel.tests.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.local.LocalWorker;
import org.jparallel.modelcheck.ModelRunner;

/**
 * What one sequence of {@link ApiModelTest} drew before its first action: the manager's settings and the program's
 * shape, fixed for the sequence (its runs on a journal included). Apart from {@link ApiModel}, which holds the
 * sequence's changing state, so that a fixed sequence ({@link ApiModelCancelTest}) names what it runs with, and the
 * failure message of every sequence says it the same way.
 *
 * @param prefetch the manager's prefetch
 * @param maxLost the lost-worker budget of a task ({@code maxLostAttempts})
 * @param journaled whether the manager keeps a journal and addTask keys every task (by its unique value), so
 *     that results reach the program through the journal's thread, and the program may run again on it
 * @param lifetime the workers' lifetime (long enough that none reaches it in a sequence), under which every
 *     context's tasks declare {@link ApiModel#EXPECTED}; {@code null}: workers without a set end
 * @param slots each worker's task slots; with more than one, every fifth task asks for 2 cpus
 * @param outputHasFailures with a journal: whether the program's output, whose keys it passes to {@code
 *     markDelivered} at a restart, records failures too (else only values, and a failed key runs again)
 * @param workers how many worker JVMs: 2 start together; more (a group bigger than the test machine's cores) start
 *     in waves of one ({@code startsAtOnce(1)}), so that faults and closes meet workers starting
 * @param listen the program's listeners on its first run: 0 none, 1 one given to {@code ManagerBuilder.listener}, 2
 *     one added through addListener once the workers are added, 3 both; 7 both, the first then removed at once
 * @param replace the lost-worker replacements: {@link ApiWorkers#DEFAULT} ({@code replaceLostWorkers} not called),
 *     or the fixed budget given to it
 */
record ApiSettings(int prefetch, int maxLost, boolean journaled, Duration lifetime, int slots,
                   boolean outputHasFailures, int workers, int listen, int replace) {

    /**
     * A plain sequence: prefetch 1, one lost worker allowed, no journal, no lifetime, 1 slot, 2 workers, a listener
     * added at the start, lost workers replaced by default.
     */
    static ApiSettings plain() {
        return new ApiSettings(1, 1, false, null, 1, false, 2, 2, ApiWorkers.DEFAULT);
    }

    /** @return the settings of a random sequence; the draws in this order, so that a seed replays its sequence */
    static ApiSettings draw(Random r) {
        int prefetch = ModelRunner.pick(r, 0, 1, 4);
        int maxLost = ModelRunner.pick(r, 1, 1, 2);
        // half the sequences key their tasks and keep a journal (all with -Dmodel.api.journaled=true)
        boolean journaled = r.nextBoolean() || Boolean.getBoolean("model.api.journaled");
        // some sequences run on workers with a lifetime (an hour: none drains) and tasks with estimates
        Duration lifetime = r.nextInt(3) == 0 ? Duration.ofHours(1) : null;
        int slots = ModelRunner.pick(r, 1, 1, 2, 4); // with several, some tasks ask for 2 cpus
        boolean outputHasFailures = journaled && r.nextBoolean(); // else failed keys run again
        // a quarter of the sequences start 3 (or 4) workers one at a time: waves meet faults and closes;
        // not more: each restart of such a sequence starts them all again, a JVM start a second of CPU
        int workers = r.nextInt(4) == 0 ? ModelRunner.pick(r, 3, 3, 4) : 2;
        // most programs listen from the start (ManagerBuilder.listener, addListener, or both), some later
        int listen = ModelRunner.pick(r, 0, 1, 2, 2, 3);
        // lost workers: mostly what a program gets by default (replaced, with the guard against a loop),
        // some never replaced, some a small fixed budget; drawn last, so the draws above keep their seeds
        int replace = r.nextInt(10) < 6 ? ApiWorkers.DEFAULT : r.nextBoolean() ? 0 : r.nextInt(1, 4);
        return new ApiSettings(prefetch, maxLost, journaled, lifetime, slots, outputHasFailures, workers, listen,
                replace);
    }

    /** @return whether the workers start one at a time */
    boolean waves() {
        return workers > 2;
    }

    /**
     * @param dir where the workers' output goes
     * @param run the run's suffix of the output files ({@code ""} without a journal)
     * @return a builder with the settings of the manager (not its replacements, journal or listeners: the model's)
     */
    ManagerBuilder builder(Path dir, String run) {
        return Manager.builder().outputPattern(dir.resolve("worker%d" + run + ".output").toString())
                .bindAddress("127.0.0.1").prefetch(prefetch).maxLostAttempts(maxLost).taskRetries(0)
                .workerLifetime(lifetime);
    }

    /** @return the group of worker JVMs to add: all at once, or in waves of one */
    LocalWorker group() {
        LocalWorker group = new LocalWorker(workers).slots(slots);
        return waves() ? group.startsAtOnce(1) : group;
    }

    /** @return the settings as a failure message says them, with {@code replacements} as the sequence has them */
    String describe(ApiWorkers replacements) {
        return "prefetch " + prefetch + ", " + workers + " workers" + (waves() ? " starting one at a time" : "")
                + " of " + slots + " slot(s), a lost-worker budget of " + maxLost + ", " + replacements;
    }
}
