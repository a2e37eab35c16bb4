package org.jparallel.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The walltime a Slurm worker's job asks for, read from the time setting or the user's options. */
class SlurmWalltimeTest {
    @Test
    void everyFormSlurmReadsIsADuration() {
        assertEquals(Duration.ofMinutes(90), SlurmTime.parse("90"));
        assertEquals(Duration.ofSeconds(5 * 60 + 30), SlurmTime.parse("5:30"));
        assertEquals(Duration.ofSeconds(3600 + 30 * 60 + 5), SlurmTime.parse("1:30:05"));
        assertEquals(Duration.ofHours(26), SlurmTime.parse("1-2"));
        assertEquals(Duration.ofMinutes(26 * 60 + 15), SlurmTime.parse("1-2:15"));
        assertEquals(Duration.ofSeconds(((24 + 2) * 60 + 15) * 60 + 9), SlurmTime.parse("1-2:15:09"));
        assertNull(SlurmTime.parse("UNLIMITED"));
        assertNull(SlurmTime.parse(null));
        assertNull(SlurmTime.parse("0"));
    }

    @Test
    void theTimeSettingOrATimeAmongTheOptionsIsTheWalltime() {
        assertEquals(Duration.ofMinutes(5), new SlurmScheduler().time("5").walltime(List.of()));
        assertNull(new SlurmScheduler().walltime(List.of("--qos=long")));
        assertEquals(Duration.ofHours(2), new SlurmScheduler().time("5").walltime(List.of("--time=2:00:00")));
        assertEquals(Duration.ofMinutes(7), new SlurmScheduler().walltime(List.of("-t", "7")));
    }
}
