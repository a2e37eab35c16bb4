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

    @Test
    void aWalltimeBecomesTimeInWholeMinutesRoundedUpAndReadsBackAsTheLimitSlurmApplies() {
        SlurmScheduler slurm = new SlurmScheduler();
        assertEquals(List.of("--time=1"), slurm.walltimeOptions(Duration.ofSeconds(20)));
        assertEquals(List.of("--time=2"), slurm.walltimeOptions(Duration.ofSeconds(61)));
        assertEquals(List.of("--time=90"), slurm.walltimeOptions(Duration.ofMinutes(90)));
        assertEquals(List.of("--time=2880"), slurm.walltimeOptions(Duration.ofDays(2)));
        assertEquals(Duration.ofMinutes(1), slurm.walltime(slurm.walltimeOptions(Duration.ofSeconds(20))));
        assertEquals(Duration.ofMinutes(90), slurm.walltime(slurm.walltimeOptions(Duration.ofMinutes(90))));
    }

    @Test
    void aGroupGivenAWalltimeSubmitsWithItAfterTheUsersOptionsAndItsWorkersLiveThatLong() {
        org.jparallel.spi.BackendSettings settings = org.jparallel.spi.BackendSettings.of("slurm",
                java.util.Map.of("time", "30", "options", "--qos=long --time=10")).withWalltime(Duration.ofMinutes(3));
        SlurmOptions o = SlurmBackend.options(settings);
        assertEquals(List.of("--qos=long", "--time=10", "--time=3"), o.options());
        List<String> cmd = CommandsTest.sbatch(o, List.of(1, 2), "/out/w%d", java.nio.file.Path.of("/run/job.sh"));
        assertEquals(List.of("sbatch", "--parsable", "--array=1-2", "--job-name=jparallel", "--output=/out/w%a",
                "--chdir=" + o.directoryOrDefault(), "--time=30", "--qos=long", "--time=10", "--time=3", "/run/job.sh"),
                cmd, "sbatch takes the last --time");
        assertEquals(Duration.ofMinutes(3), new SlurmWorkerArray(2, o).walltime(), "the worker's lifetime agrees");
    }
}
