package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jparallel.core.worker.startup.WorkerWarmUp;
import org.jparallel.testjvm.FreshJvm;
import org.junit.jupiter.api.Test;

/**
 * A fresh worker's warm-up sets up the socket classes its connect uses (the socket channel and
 * selector, the address classes), so the main thread, busy with the logger's and Netty's set-up meanwhile, only connects
 * (5-12 ms of its CPU before: docs/benchmarks/2026-12-06-cold3.md). Checked in a fresh JVM, since this one
 * has them already.
 */
class WarmUpSocketClassesTest {
    /** Runs the worker's warm-up, then prints "done". */
    public static void main(String[] args) throws Exception {
        WorkerWarmUp.runSteps();
        System.out.println("done");
    }

    @Test
    void theWarmUpLoadsTheSocketImplementationAndTheAddressClasses() throws Exception {
        FreshJvm.Output warmUp = FreshJvm.run(WarmUpSocketClassesTest.class).before("done");
        for (String c : List.of("sun.nio.ch.SocketChannelImpl", "sun.nio.ch.EPollSelectorImpl", "java.net.Inet4Address", "java.net.InetSocketAddress")) {
            assertTrue(warmUp.loaded(c), "the warm-up did not load " + c);
        }
    }
}
