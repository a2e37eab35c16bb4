package org.jparallel.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SshHostListTest {

    @Test
    void parsesHostsWithAndWithoutSlots() {
        assertEquals(List.of(new SshHost("node1", 4), new SshHost("node2", 8), new SshHost("node3", 1)),
                SshHostList.parse(" node1:4, node2:8 ,node3"));
    }

    @Test
    void parsesBracketedIpv6() {
        assertEquals(List.of(new SshHost("fe80::1", 2), new SshHost("::1", 1)), SshHostList.parse("[fe80::1]:2,[::1]"));
    }

    @Test
    void rejectsBadEntriesNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SshHostList.parse("node1:x"))
                .getMessage().contains("'node1:x'"));
        assertThrows(IllegalArgumentException.class, () -> SshHostList.parse("node1:0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SshHostList.parse("fe80::1:2"))
                .getMessage().contains("brackets"));
        assertThrows(IllegalArgumentException.class, () -> SshHostList.parse(" , "));
        assertThrows(IllegalArgumentException.class, () -> SshHostList.parse(":3"));
        assertThrows(IllegalArgumentException.class, () -> SshHostList.parse("[::1"));
    }

    @Test
    void placesWorkersRoundRobinWithinSlots() {
        List<SshHost> hosts = SshHostList.parse("a:2,b:1");
        assertEquals(List.of("a", "b", "a"), SshHostList.place(hosts, 3).stream().map(SshHost::host).toList());
        assertEquals(List.of("a", "b"), SshHostList.place(hosts, 2).stream().map(SshHost::host).toList());
        assertEquals(List.of("a", "b", "c", "a", "c", "c"), SshHostList.place(SshHostList.parse("a:2,b:1,c:3"), 6)
                .stream().map(SshHost::host).toList());
    }

    @Test
    void tooManyWorkersForTheSlotsIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SshHostList.place(SshHostList.parse("a:2,b:1"), 4));
        assertTrue(e.getMessage().contains("4 SSH workers") && e.getMessage().contains("3 slot"), e.getMessage());
    }

    @Test
    void sshWorkerSizeIsTheSlotsOrTheCount() {
        assertEquals(12, new SshWorker("node1:4,node2:8").size());
        assertEquals(1, new SshWorker("node1").size());
        assertEquals(5, new SshWorker("node1:4,node2:8", 5).size());
        assertThrows(IllegalArgumentException.class, () -> new SshWorker("node1:1", 2));
    }
}
