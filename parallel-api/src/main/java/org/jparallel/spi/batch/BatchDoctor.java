package org.jparallel.spi.batch;

import java.util.ArrayList;
import java.util.List;
import org.jparallel.spi.DoctorCheck;
import org.jparallel.spi.ConfigKey;
import org.jparallel.spi.DoctorContext;
import org.jparallel.spi.LaunchSpec;

/**
 * The {@code jparallel doctor} checks every batch scheduler shares: each of its tools (submit, status,
 * cancel) is an executable on the manager's PATH, or at the path its key gives; under {@code dry-run}
 * one warning instead, since nothing will be submitted. A batch backend returns them from its {@link
 * org.jparallel.spi.WorkerBackend#doctorChecks}, with its own checks added.
 */
public final class BatchDoctor {
    private BatchDoctor() {
    }

    /**
     * @param context the group checked
     * @param scheduler whose tools to check
     * @return a check per tool of the scheduler
     */
    public static List<DoctorCheck> toolChecks(DoctorContext context, BatchScheduler scheduler) {
        return toolChecks(context, scheduler, scheduler.tools());
    }

    /**
     * @param context the group checked
     * @param scheduler the scheduler (for its name in the fix)
     * @param tools the tools the group will run (e.g. without the optional ones)
     * @return a check per tool, or one warning when the group is a dry run
     */
    public static List<DoctorCheck> toolChecks(DoctorContext context, BatchScheduler scheduler, List<String> tools) {
        if (context.settings().get(BatchKeys.DRY_RUN)) {
            String key = context.key(BatchKeys.DRY_RUN);
            return List.of(DoctorCheck.of(context.backend() + " commands", () -> DoctorCheck.Result.warn(
                    key + "=true: nothing will be submitted", "set " + key + "=false to run workers")));
        }
        List<DoctorCheck> checks = new ArrayList<>();
        for (String tool : tools) {
            checks.add(DoctorCheck.of(tool, () -> tool(context, scheduler, tool)));
        }
        return checks;
    }

    private static DoctorCheck.Result tool(DoctorContext context, BatchScheduler scheduler, String tool) {
        ConfigKey<String> key = BatchKeys.tool(tool);
        String cmd = context.settings().get(key);
        List<String> words = LaunchSpec.splitWords(cmd);
        String first = words.isEmpty() ? cmd : words.get(0);
        String found = context.findExecutable(first);
        if (found != null) {
            return DoctorCheck.Result.ok(found);
        }
        return DoctorCheck.Result.fail("\"" + first + "\" is not " + (first.contains("/") ? "an executable file"
                        : "on the PATH (" + context.path() + ")"),
                "put " + scheduler.product() + "'s bin directory on the PATH of the manager, or set "
                        + context.key(key) + " to the full path of " + tool);
    }
}
