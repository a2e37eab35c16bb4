package org.jparallel.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jparallel.ManagerSettings;
import org.jparallel.core.config.ResolvedConfig;
import org.jparallel.spi.DoctorCheck;
import org.jparallel.spi.DoctorContext;

/**
 * Runs the checks a group's backend offers ({@link org.jparallel.spi.WorkerBackend#doctorChecks}),
 * whatever the backend: each result is named after its check and the group. A check that throws is a
 * failure naming the backend; a backend that offers none is one skipped line, since the probe worker
 * tests it anyway.
 */
final class BackendChecks {
    private BackendChecks() {
    }

    static List<CheckResult> forGroup(ResolvedConfig.Group g, ManagerSettings settings) {
        String workerJava = settings.javaCommand() != null ? settings.javaCommand()
                : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        DoctorContext context = new DoctorContext(g.settings(), workerJava, System.getenv().getOrDefault("PATH", ""));
        String suffix = " (group " + g.name() + ")";
        List<DoctorCheck> checks;
        try {
            checks = g.backend().doctorChecks(context);
        } catch (RuntimeException e) {
            return List.of(CheckResult.fail("backend " + g.backend().name() + suffix, "cannot list its checks: " + e,
                    "report this to the maker of the " + g.backend().name() + " backend ("
                            + g.backend().getClass().getName() + ")"));
        }
        if (checks == null || checks.isEmpty()) {
            return List.of(CheckResult.skip("backend " + g.backend().name() + suffix,
                    "no backend-specific checks; the probe worker tests it"));
        }
        List<CheckResult> out = new ArrayList<>();
        for (DoctorCheck check : checks) {
            out.add(run(check, suffix, g));
        }
        return out;
    }

    private static CheckResult run(DoctorCheck check, String suffix, ResolvedConfig.Group g) {
        String name;
        DoctorCheck.Result r;
        try {
            name = check.name() + suffix;
        } catch (RuntimeException e) {
            name = "backend " + g.backend().name() + suffix;
        }
        try {
            r = check.run();
        } catch (RuntimeException e) {
            return CheckResult.fail(name, "the check failed with " + e, "report this to the maker of the "
                    + g.backend().name() + " backend (" + check.getClass().getName() + ")");
        }
        if (r == null) {
            return CheckResult.fail(name, "the check gave no result", "report this to the maker of the "
                    + g.backend().name() + " backend (" + check.getClass().getName() + ")");
        }
        return new CheckResult(switch (r.status()) {
            case OK -> CheckResult.Status.OK;
            case WARN -> CheckResult.Status.WARN;
            case FAIL -> CheckResult.Status.FAIL;
        }, name, r.detail(), r.fix());
    }
}
