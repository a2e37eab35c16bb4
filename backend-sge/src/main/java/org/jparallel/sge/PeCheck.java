package org.jparallel.sge;

import java.util.List;
import org.jparallel.spi.CommandRunner;
import org.jparallel.spi.DoctorCheck;

/**
 * The {@code jparallel doctor} check of a group whose workers have several task slots: its jobs ask for
 * their cores with {@code -pe smp N}, so the parallel environment {@code smp} must exist and give all of a
 * job's slots on one host ({@code allocation_rule $pe_slots}), or the jobs would wait for ever or spread
 * over hosts.
 */
final class PeCheck implements DoctorCheck {
    private final String qconf;
    private final int slots;
    private final CommandRunner runner;

    /**
     * @param qconf the qconf command
     * @param slots the workers' task slots
     */
    PeCheck(String qconf, int slots, CommandRunner runner) {
        this.qconf = qconf;
        this.slots = slots;
        this.runner = runner;
    }

    @Override
    public String name() {
        return "parallel environment " + SgeScheduler.SLOTS_PE + " for " + slots + " task slots";
    }

    @Override
    public Result run() {
        try {
            CommandRunner.Result r = runner.run(List.of(qconf, "-sp", SgeScheduler.SLOTS_PE), null, 15_000);
            return judge(r.exitCode(), r.stdout() + r.stderr(), slots);
        } catch (Exception e) {
            return Result.fail("could not run " + qconf + " -sp " + SgeScheduler.SLOTS_PE + ": " + e.getMessage(),
                    "put qconf on the PATH, or set jparallel.sge.pe to a parallel environment that exists");
        }
    }

    /** @return the outcome for {@code qconf -sp smp}'s exit code and output */
    static Result judge(int exit, String output, int slots) {
        String fix = "ask the cluster's admin for a parallel environment named " + SgeScheduler.SLOTS_PE
                + " with allocation_rule $pe_slots in the queue's pe_list, or set jparallel.sge.pe to one that exists"
                + " (qconf -spl lists them), e.g. 'mpi " + slots + "'";
        if (exit != 0 || !output.matches("(?s).*pe_name\\s+" + SgeScheduler.SLOTS_PE + "\\b.*")) {
            return Result.fail("workers with " + slots + " slots ask for -pe " + SgeScheduler.SLOTS_PE + " " + slots
                    + ", but Grid Engine has no parallel environment " + SgeScheduler.SLOTS_PE + ": " + output.strip(), fix);
        }
        if (!output.matches("(?s).*allocation_rule\\s+\\$pe_slots\\b.*")) {
            return Result.warn("the parallel environment " + SgeScheduler.SLOTS_PE + " may spread a job's slots over"
                    + " several hosts (its allocation_rule is not $pe_slots); a worker runs on one", fix);
        }
        return Result.ok("-pe " + SgeScheduler.SLOTS_PE + " " + slots + " gives a worker its slots on one host");
    }
}
