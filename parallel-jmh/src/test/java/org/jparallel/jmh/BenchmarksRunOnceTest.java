package org.jparallel.jmh;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Runs every benchmark method once per parameter, with its setup and teardown, without JMH: the build
 * never runs the benchmarks, so this is what catches a benchmark broken by a change to the codec or
 * the serializer.
 */
class BenchmarksRunOnceTest {
    private static final Blackhole HOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @ParameterizedTest
    @ValueSource(ints = {64, 1024, 102400})
    void codecBenchmarksRun(int bytes) {
        CodecBenchmark b = new CodecBenchmark();
        b.payloadBytes = bytes;
        b.open();
        try {
            assertTrue(b.encodeTask(HOLE) > 0);
            assertTrue(b.encodeResult(HOLE) > 0);
            assertNotNull(b.decodeTask());
            assertNotNull(b.decodeResult());
        } finally {
            b.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1 << 20, 16 << 20})
    void bigFrameBenchmarkRuns(int bytes) {
        BigFrameBenchmark b = new BigFrameBenchmark();
        b.payloadBytes = bytes;
        b.open();
        try {
            assertNotNull(b.decodeInPieces());
        } finally {
            b.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lambdaTask", "integer", "bytes100k", "pojo"})
    void serializerBenchmarksRun(String value) throws Exception {
        SerializerBenchmark b = new SerializerBenchmark();
        b.value = value;
        b.prepare();
        assertNotNull(b.serialize());
        assertNotNull(b.deserialize());
    }
}
