package org.jparallel.sge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The walltime a Grid Engine worker's job asks for: its {@code h_rt}, from the resources or the user's options. */
class SgeWalltimeTest {
    @Test
    void hardRunTimeInEachFormGridEngineReads() {
        assertEquals(Duration.ofSeconds(5400), SgeScheduler.hardRunTime("h_vmem=4G,h_rt=1:30:00"));
        assertEquals(Duration.ofSeconds(90), SgeScheduler.hardRunTime("h_rt=1:30"));
        assertEquals(Duration.ofSeconds(20), SgeScheduler.hardRunTime("h_rt=20"));
        assertNull(SgeScheduler.hardRunTime("h_vmem=4G,s_rt=20"));
        assertNull(SgeScheduler.hardRunTime(null));
    }

    @Test
    void theResourcesOrAnLOptionGiveTheWalltime() {
        assertEquals(Duration.ofSeconds(60), new SgeScheduler().resources("h_rt=60").walltime(List.of()));
        assertNull(new SgeScheduler().resources("h_vmem=1G").walltime(List.of("-P", "proj")));
        assertEquals(Duration.ofSeconds(30), new SgeScheduler().walltime(List.of("-l", "h_rt=0:0:30")));
    }

    @Test
    void aWalltimeBecomesAHardRunTimeInHoursMinutesSecondsRoundedUpToTheSecond() {
        SgeScheduler sge = new SgeScheduler();
        assertEquals(List.of("-l", "h_rt=0:00:20"), sge.walltimeOptions(Duration.ofSeconds(20)));
        assertEquals(List.of("-l", "h_rt=0:00:21"), sge.walltimeOptions(Duration.ofMillis(20_001)));
        assertEquals(List.of("-l", "h_rt=25:01:01"), sge.walltimeOptions(Duration.ofSeconds(25 * 3600 + 61)));
        assertEquals(Duration.ofSeconds(20), sge.walltime(sge.walltimeOptions(Duration.ofSeconds(20))));
        assertEquals(Duration.ofSeconds(25 * 3600 + 61), sge.walltime(sge.walltimeOptions(Duration.ofSeconds(25 * 3600 + 61))));
    }

    @Test
    void aGroupGivenAWalltimeSubmitsWithItAfterTheResourcesAndTheUsersOptionsAndItsWorkersLiveThatLong() {
        org.jparallel.spi.BackendSettings settings = org.jparallel.spi.BackendSettings.of("sge",
                java.util.Map.of("resources", "h_rt=600,h_vmem=1G", "options", "-P proj")).withWalltime(Duration.ofSeconds(90));
        SgeOptions o = SgeBackend.options(settings);
        assertEquals(List.of("-P", "proj", "-l", "h_rt=0:01:30"), o.options());
        assertEquals(Duration.ofSeconds(90), new SgeQsubWorkerArray(2, o).walltime(), "the worker's lifetime agrees");
    }
}
