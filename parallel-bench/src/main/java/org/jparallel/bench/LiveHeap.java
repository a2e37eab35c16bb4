package org.jparallel.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most heap this JVM held right after a garbage collection while it was open: the live data,
 * which is what a run needs, unlike the used heap, which also counts garbage not yet collected.
 * Also the most heap used (garbage included) right before a collection. Both come from the
 * collector's notifications, so a run needs no {@code System.gc()} first: a full collection shrinks
 * G1's heap, and a run that starts on a shrunk heap pays for growing it again.
 */
final class LiveHeap implements AutoCloseable, NotificationListener {
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong usedPeak = new AtomicLong();
    private final AtomicLong pauseMillis = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

    LiveHeap() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(this, null, null);
                emitters.add(e);
            }
        }
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        peak.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
        usedPeak.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
        pauseMillis.addAndGet(info.getGcInfo().getDuration()); // G1 reports its pauses only (JDK 17: remark and cleanup too)
    }

    private long heapUsed(Map<String, MemoryUsage> pools) {
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : pools.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        return used;
    }

    /**
     * @return the milliseconds of the collections that stopped this JVM (the benchmark's thread and the
     *     manager alike) while this was open, as notified so far: a notification comes a moment after
     *     its collection, so one that ended just before this call may be missing
     */
    long pauseMillis() {
        return pauseMillis.get();
    }

    /** @return the peak, in bytes, of memory in use after a collection */
    long peakBytes() {
        return peak.get();
    }

    /** @return the peak, in bytes, of heap in use (garbage included): before a collection, or now */
    long peakUsedBytes() {
        return Math.max(usedPeak.get(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(this);
            } catch (ListenerNotFoundException ignored) {
                // never added
            }
        }
    }
}
