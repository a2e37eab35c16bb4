package org.jparallel.core.leaks;

import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaks a Netty buffer: {@code @ExtendWith(NoLeaks.class)} on the codec and fuzz tests.
 * Netty finds a leak only when the garbage collector has collected an unreleased buffer and a later buffer is
 * made; so after the class's last test (its test instances unreachable, buffers left in their channels too) this
 * runs the collector until an object of its own was collected twice, makes a buffer, and fails with every leak
 * {@link LeakRecorder} recorded. Before the class's first test it does the same and only prints what it finds:
 * leaks of earlier classes, which this one must not be blamed for. It refuses to run (fails the class) when the
 * detector is not {@link LeakRecorder} or Netty's leak detection is off: the class would then prove nothing.
 */
public final class NoLeaks implements BeforeAllCallback, AfterAllCallback {
    /** How long one collection may take to clear an unreachable object (a loaded machine). */
    private static final long COLLECTION_MILLIS = 30_000;

    @Override
    public void beforeAll(ExtensionContext context) {
        List<String> earlier = collect();
        if (!LeakRecorder.installed() || ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.DISABLED) {
            throw new IllegalStateException("Netty's leak detection is not set up for " + context.getDisplayName()
                    + " (level " + ResourceLeakDetector.getLevel() + ", LeakRecorder installed: "
                    + LeakRecorder.installed() + "): run it through parallel-core's Maven build, whose surefire"
                    + " configuration sets io.netty.leakDetection.level and io.netty.customResourceLeakDetector");
        }
        if (!earlier.isEmpty()) {
            System.err.println("NoLeaks: " + earlier.size() + " leak(s) found before " + context.getDisplayName()
                    + ", of earlier test classes:\n" + String.join("\n", earlier));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + " leaked " + leaks.size() + " Netty buffer(s) (made"
                    + " and never released; the stacks say where each was made):\n" + String.join("\n", leaks));
        }
    }

    /**
     * Runs the collector until an unreachable object of its own was collected, twice (a leaked buffer
     * collected in the first round is queued to Netty's detector by then), then makes a direct buffer, which makes
     * the detector report what was queued (an unpooled heap buffer would not: Netty does not track those).
     *
     * @return the leaks recorded since the last call
     */
    static List<String> collect() {
        awaitCollection();
        awaitCollection();
        Unpooled.directBuffer(1).release();
        return LeakRecorder.drain();
    }

    private static void awaitCollection() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        PhantomReference<Object> canary = new PhantomReference<>(new Object(), queue);
        long deadline = System.currentTimeMillis() + COLLECTION_MILLIS;
        try {
            do {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the garbage collector did not collect an unreachable object in "
                            + COLLECTION_MILLIS / 1000 + " s (explicit GC disabled?): cannot look for leaked buffers");
                }
                System.gc();
            } while (queue.remove(100) == null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the garbage collector", e);
        } finally {
            Reference.reachabilityFence(canary);
        }
    }
}
