package org.jparallel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitSettleTest {
    @Test
    void hotSpotCompilerThreadsAreRecognisedByTheirProcName() {
        assertTrue(JitSettle.isCompiler("C2 CompilerThre"));
        assertTrue(JitSettle.isCompiler("C1 CompilerThre"));
        assertFalse(JitSettle.isCompiler("jparallel-net-1"));
        assertFalse(JitSettle.isCompiler("GC Thread#0"));
    }

    @Test
    void withNoWorkerToWatchNoCompilerShareIsReported() {
        JitSettle jit = new JitSettle(); // this test JVM has no worker children
        assertEquals(0, jit.compilerShareSinceLast());
    }
}
