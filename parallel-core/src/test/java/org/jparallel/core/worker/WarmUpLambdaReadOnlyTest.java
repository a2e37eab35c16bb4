package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jparallel.core.worker.startup.WorkerWarmUp;
import org.jparallel.testjvm.FreshJvm;
import org.junit.jupiter.api.Test;

/**
 * A fresh worker's warm-up reads a lambda as the first task's is read, and writes none: a worker's first
 * result needs the reading side only, and the writing side (the lambda's {@code writeReplace} through a
 * method handle, whose adapters are spun at run time, and the payload writer) was milliseconds of CPU that
 * ran beside the first task (docs/benchmarks/2026-12-07-cold9.md); and it reads it without a serialization
 * stream, as the first task's is read, so that {@code ObjectInputStream}'s static set-up waits for a payload that
 * needs one. Checked in a fresh JVM, since this one has written lambdas already.
 */
class WarmUpLambdaReadOnlyTest {
    /** The class {@code ObjectInputStream}'s static set-up loads: absent before "done", present after "stream". */
    static final String STREAM_ACCESS = "jdk.internal.access.JavaObjectInputStreamAccess";

    /** Runs the worker's warm-up, prints "done", then makes an {@code ObjectInputStream} and prints "stream". */
    public static void main(String[] args) throws Exception {
        WorkerWarmUp.runSteps();
        System.out.println("done");
        // the control: a stream does load the class the test looks for (a JDK that renamed it would pass vacuously)
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(new byte[] {(byte) 0xac, (byte) 0xed, 0, 5}))
                .close();
        System.out.println("stream");
    }

    @Test
    void theWarmUpReadsALambdaWithoutWritingOne() throws Exception {
        FreshJvm.Output out = FreshJvm.run(WarmUpLambdaReadOnlyTest.class);
        assertTrue(out.printed("done"), out.text());
        assertTrue(out.loaded("org.jparallel.core.serial.DirectLambda"), "the warm-up read no lambda payload: "
                + out.linesWith("org.jparallel.core.serial"));
        assertTrue(out.loaded("java.lang.invoke.SerializedLambda"), "the warm-up made no lambda from its description");
        assertFalse(out.loaded("org.jparallel.core.serial.PayloadWriter"), "the warm-up wrote a payload: "
                + out.linesWith("org.jparallel.core.serial"));
        assertFalse(out.loaded("org.jparallel.core.serial.LambdaShape$Key"), "the warm-up encoded a lambda's shape");
        // a lambda payload is read without a stream, as the first task's is: ObjectInputStream's static set-up
        // (two method references of the JDK's) is not needed before a payload that needs a stream
        assertFalse(out.before("done").loaded(STREAM_ACCESS), "the warm-up initialised"
                + " ObjectInputStream: " + out.linesWith("ObjectInputStream"));
        assertTrue(out.printed("stream"), out.text());
        assertTrue(out.before("stream").loaded(STREAM_ACCESS), "an ObjectInputStream made after the warm-up did not"
                + " load " + STREAM_ACCESS + ": the check above is vacuous; " + out.linesWith("ObjectInputStream"));
    }
}
