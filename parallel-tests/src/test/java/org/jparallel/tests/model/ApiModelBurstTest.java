package org.jparallel.tests.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.tests.model.ApiTask.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ApiModel}'s poison burst on one fixed sequence: with nothing else to run, no worker can answer between the
 * burst's losses, so the guard must stop the group, and the model must say it did ({@link ApiWorkers#burstEnded});
 * a manager whose guard let the burst through must fail the sequence's check.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiModelBurstTest {
    @TempDir
    Path dir;

    @Test
    void aBurstWithNothingElseToAnswerReachesTheGuard() {
        try (ApiModel m = new ApiModel(dir, ApiSettings.plain())) {
            m.newContext(false);
            List<Kind> burst = new ArrayList<>();
            for (int i = m.replacements.burst(); i > 0; i--) {
                burst.add(i % 2 == 0 ? Kind.HALTS : Kind.EXITS);
            }
            boolean guarded = m.replacements.burst(m, m.contexts.get(0), burst);
            m.check(); // no broken promise, the burst's judgement included
            assertTrue(guarded, "the guard stopped the group after " + burst.size() + " poison tasks back to back"
                    + " (its limit " + m.replacements.limit() + " losses in a row): " + m.manager().workers());
            m.closeManager();
            m.check();
        }
    }
}
