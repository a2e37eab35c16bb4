package org.jparallel.core.worker;

import io.netty.util.internal.logging.InternalLogger;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jparallel.PerSlotSetup;
import org.jparallel.Setup;
import org.jparallel.core.serial.Payloads;
import org.jparallel.core.serial.RemoteFailure;
import org.jparallel.core.serial.SerialFilter;
import org.jparallel.core.worker.startup.WorkerLogs;

/**
 * The setups of a worker's contexts: each runs once per worker, on the first task of its context that
 * needs it, and its result is kept for the context's tasks until the manager releases the context. A
 * {@link PerSlotSetup} runs once per task slot instead, each slot keeping its own result. A setup that
 * failed fails every later task of its context on this worker. Thread-safe: the tasks of several slots
 * ask at once; a setup runs under the cache's lock, so the tasks that need it wait for its one run
 * (and those of other contexts wait too: setups run one at a time).
 */
final class SetupCache {
    private static final InternalLogger LOG = WorkerLogs.logger(SetupCache.class);
    private static final String SETUP_FAILED = "org.jparallel.SetupFailedException";
    /** The slot a shared setup's result is kept under. */
    private static final int SHARED = -1;

    private final ClassLoader loader;
    private final SerialFilter filter;
    /** Setups received and not run yet; written by the task thread as messages arrive. */
    private final Map<Integer, byte[]> payloads = new ConcurrentHashMap<>();
    // guarded by this
    private final Map<Long, Object> values = new HashMap<>();
    private final Map<Integer, Setup<?>> perSlot = new HashMap<>();
    private final Map<Integer, RemoteFailure> failures = new HashMap<>();

    SetupCache(ClassLoader loader, SerialFilter filter) {
        this.loader = loader;
        this.filter = filter;
    }

    /** A context's setup arrived; it runs when the first of its tasks needs it. */
    void define(int contextId, byte[] payload) {
        payloads.put(contextId, payload);
    }

    /** The manager released a context: its setup and results go. */
    synchronized void release(int contextId) {
        payloads.remove(contextId);
        perSlot.remove(contextId);
        failures.remove(contextId);
        values.keySet().removeIf(k -> (int) (k >> 32) == contextId);
        LOG.debug("released the setup of context {}", contextId);
    }

    /**
     * @param slot the task slot asking (0 on a worker with one slot)
     * @param cancelled whether the task that needs the setup was cancelled (an interrupted setup is kept to run again)
     * @return the setup's result for the context, run now if it has not run, or {@code null} when the context has none
     */
    synchronized Object get(int contextId, int slot, BooleanSupplier cancelled) throws SetupFailed {
        Object v = values.get(key(contextId, SHARED));
        if (v != null || values.containsKey(key(contextId, SHARED))) {
            return v;
        }
        RemoteFailure earlier = failures.get(contextId);
        if (earlier != null) {
            throw new SetupFailed(earlier);
        }
        Setup<?> setup = perSlot.get(contextId);
        if (setup != null && values.containsKey(key(contextId, slot))) {
            return values.get(key(contextId, slot));
        }
        byte[] payload = null;
        try {
            if (setup == null) {
                payload = payloads.remove(contextId);
                if (payload == null) {
                    return null;
                }
                setup = (Setup<?>) Payloads.deserialize(payload, loader, filter);
                if (setup instanceof PerSlotSetup<?>) {
                    perSlot.put(contextId, setup);
                }
            }
            long start = System.nanoTime();
            Object value = setup.setup();
            boolean each = setup instanceof PerSlotSetup<?>;
            LOG.info("ran the setup of context {}{} in {} ms", contextId, each ? " for slot " + slot : "",
                    (System.nanoTime() - start) / 1_000_000);
            values.put(key(contextId, each ? slot : SHARED), value);
            return value;
        } catch (Throwable e) {
            if (cancelled.getAsBoolean()) {
                // the task was interrupted during the setup: the setup did not fail, so keep it for the next task
                if (payload != null && !perSlot.containsKey(contextId)) {
                    payloads.put(contextId, payload);
                }
                throw new SetupFailed(RemoteFailure.synthetic("java.util.concurrent.CancellationException",
                        "the task was cancelled while the setup of context " + contextId + " ran", e));
            }
            RemoteFailure f = RemoteFailure.synthetic(SETUP_FAILED, "the setup of context " + contextId
                    + " failed on this worker, so its tasks cannot run here", e);
            failures.put(contextId, f);
            LOG.warn("the setup of context {} failed", contextId, e);
            throw new SetupFailed(f);
        }
    }

    private static long key(int contextId, int slot) {
        return ((long) contextId << 32) | (slot & 0xffffffffL);
    }

    /** A setup failure, carried to the task that needed it. */
    static final class SetupFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final transient RemoteFailure failure;

        SetupFailed(RemoteFailure failure) {
            super(failure.message(), null, false, false);
            this.failure = failure;
        }
    }
}
