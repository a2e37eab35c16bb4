package org.jparallel.sge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

/** Workers on the slots of a captured $PE_HOSTFILE: the first locally, the others through qrsh -inherit. */
class SgePeWorkerArrayTest {
    @TempDir
    Path dir;

    @Test
    void oneWorkerPerSlotFirstLocalOthersThroughQrshInherit() throws Exception {
        ProcessStarter starter = mock(ProcessStarter.class);
        Process p = mock(Process.class);
        when(p.isAlive()).thenReturn(true);
        when(starter.start(any(), anyMap(), any())).thenReturn(p);
        PeHostfile hf = PeHostfile.parse(Captured.read("pe-hostfile-3hosts.txt"));
        SgePeWorkerArray g = new SgePeWorkerArray(hf, new SgeOptions().secretDir(dir.resolve("s")), "qrsh", starter);
        assertEquals(6, g.size());
        LaunchSpec spec = new LaunchSpec(List.of(1, 2, 3, 4, 5, 6), "/usr/bin/java", List.of(), "/a b.jar", "W", null,
                4711, List.of("10.0.0.1"), "SECRET", dir.resolve("w%d.out").toString());
        List<WorkerHandle> hs = g.start(spec);
        assertEquals(6, hs.size());

        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<String>> cmds = ArgumentCaptor.forClass(List.class);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Map<String, String>> envs = ArgumentCaptor.forClass(Map.class);
        verify(starter, times(6)).start(cmds.capture(), envs.capture(), any());
        List<List<String>> all = cmds.getAllValues();
        String secretFile = dir.resolve("s").toFile().listFiles()[0].toPath().resolve("secret").toString();
        assertEquals(List.of("/usr/bin/java", "-cp", "/a b.jar", "W", "--connect", "127.0.0.1:4711", "--id", "1",
                "--secret-file", secretFile), all.get(0), "the manager's own slot: a local child");
        for (Map<String, String> env : envs.getAllValues()) {
            assertEquals(Map.of(), env, "the secret is never in a worker's environment, which its tasks' processes inherit");
        }
        assertEquals(List.of("qrsh", "-inherit", "-nostdin", "node01", "/usr/bin/java", "-cp", "'/a b.jar'", "W",
                "--connect", "10.0.0.1:4711", "--id", "2", "--secret-file", secretFile), all.get(1));
        List<String> hosts = all.subList(1, 6).stream().map(c -> c.get(3)).toList();
        assertEquals(List.of("node01", "node02", "node02", "node02", "node03"), hosts);
        for (List<String> c : all) {
            assertFalse(String.join(" ", c).contains("SECRET"), "no secret on a command line: " + c);
        }
        assertTrue(hs.get(3).description().contains("qrsh -inherit node02"), hs.get(3).description());
    }
}
