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
}
