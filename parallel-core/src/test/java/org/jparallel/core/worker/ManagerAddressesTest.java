package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jparallel.spi.LaunchSpec;
import org.junit.jupiter.api.Test;

/** The addresses a worker is given: the configured host first, every other address for a remote worker, loopback for a local one. */
class ManagerAddressesTest {
    private static LaunchSpec spec(String host, List<String> remote) {
        return new LaunchSpec(List.of(1), "java", List.of(), "cp", "Main", host, 4000, remote, "s", "out%d");
    }

    @Test
    void aRemoteWorkerGetsTheConfiguredHostFirstThenEveryOtherAddressOnce() {
        assertEquals(List.of("head:4000", "10.0.0.1:4000", "192.168.1.5:4000", "[fd00::2]:4000"),
                spec("head", List.of("10.0.0.1", "192.168.1.5", "[fd00::2]")).managerAddresses(false));
        assertEquals(List.of("10.0.0.1:4000", "192.168.1.5:4000"),
                spec("10.0.0.1", List.of("192.168.1.5", "10.0.0.1")).managerAddresses(false).subList(0, 2));
        assertEquals(2, spec("10.0.0.1", List.of("192.168.1.5", "10.0.0.1")).managerAddresses(false).size());
    }

    @Test
    void aRemoteWorkerWithoutAConfiguredHostGetsEveryAddressOrLoopbackWhenThereIsNone() {
        assertEquals(List.of("10.0.0.1:4000", "192.168.1.5:4000"),
                spec(null, List.of("10.0.0.1", "192.168.1.5")).managerAddresses(false));
        assertEquals(List.of("127.0.0.1:4000"), spec(null, List.of()).managerAddresses(false));
        assertEquals(List.of("head:4000"), spec("head", List.of()).managerAddresses(false));
    }

    @Test
    void aWorkerOnTheManagersMachineGetsLoopbackOrOnlyTheConfiguredHost() {
        assertEquals(List.of("127.0.0.1:4000"), spec(null, List.of("10.0.0.1")).managerAddresses(true));
        assertEquals(List.of("head:4000"), spec("head", List.of("10.0.0.1")).managerAddresses(true));
    }
}
