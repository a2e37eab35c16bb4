package org.jparallel.core.leaks;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * The leak detector of parallel-core's tests, which its pom names to Netty ({@code
 * -Dio.netty.customResourceLeakDetector}): it tracks every buffer (a sampling interval of 1, where Netty's
 * default tracks one in 128), and besides logging each leak as Netty does, records it, so that {@link NoLeaks}
 * fails the test class that leaked. With it the module runs at leak level {@code simple}: every buffer tracked
 * with the stack where it was made, as {@code paranoid} does, without the stack of every access of every buffer
 * that made paranoid slow (run {@code -Dnetty.leakDetection=paranoid} to see those for a leak found).
 */
public class LeakRecorder<T> extends ResourceLeakDetector<T> {
    private static final List<String> LEAKS = new ArrayList<>();
    private static volatile boolean installed;

    /** The constructor Netty's factory calls; {@code samplingInterval} is ignored: every object is tracked. */
    public LeakRecorder(Class<?> resourceType, int samplingInterval) {
        super(resourceType, 1);
        installed = true;
    }

    /** The constructor Netty's factory called before 4.1.x; as {@link #LeakRecorder(Class, int)}. */
    public LeakRecorder(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    /** @return whether Netty made its leak detectors with this class (the system property was set in time) */
    static boolean installed() {
        return installed;
    }

    /** @return the leaks recorded since the last call, and forgets them */
    static List<String> drain() {
        synchronized (LEAKS) {
            List<String> all = List.copyOf(LEAKS);
            LEAKS.clear();
            return all;
        }
    }

    @Override
    protected boolean needReport() {
        return true; // recorded even where Netty's logger is quiet
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        super.reportTracedLeak(resourceType, records);
        record("LEAK: a " + resourceType + " was garbage-collected without release()." + records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        super.reportUntracedLeak(resourceType);
        record("LEAK: a " + resourceType + " was garbage-collected without release() (no record of where it was made)");
    }

    private static void record(String leak) {
        synchronized (LEAKS) {
            LEAKS.add(leak);
        }
    }
}
