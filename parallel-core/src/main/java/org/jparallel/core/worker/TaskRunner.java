package org.jparallel.core.worker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.StreamCorruptedException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jparallel.Setup;
import org.jparallel.Task;
import org.jparallel.core.protocol.FrameLimit;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.serial.Payloads;
import org.jparallel.core.serial.RemoteFailure;
import org.jparallel.core.serial.SerialFilter;
import org.jparallel.core.serial.ShapeBook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a worker's tasks one at a time on a thread of their own (never the network thread, so
 * heartbeats go on during a long task), with each context's setup run once, before the context's
 * first task, and cached until the manager releases it. A task or setup that throws becomes a
 * FAILURE message; the worker lives on. The results of small tasks go out in batches (see
 * {@link ReplyBatch}), so the network thread is woken once per batch.
 */
final class TaskRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    private static final String SETUP_FAILED = "org.jparallel.SetupFailedException";
    private static final String RESULT_TOO_LARGE = "org.jparallel.ResultTooLargeException";
    /** The longest message a failure too big for a frame keeps. */
    private static final int CUT_MESSAGE_CHARS = 4096;

    /** A {@code byte[]} result from this size on goes straight into a direct buffer; see {@link Message.BufferedResult}. */
    static final int BUFFER_RESULTS_FROM = 32 * 1024;
    private final TaskInbox inbox = new TaskInbox();
    private final ReplyBatch replies;
    private final Thread thread;
    private volatile boolean stopped;
    private final ByteBufAllocator alloc;
    private final ClassLoader loader;
    private final SerialFilter filter;
    private final int maxFrameBytes;
    // touched only on the task thread
    private final Map<Integer, byte[]> setupPayloads = new HashMap<>();
    private final ShapeBook shapes = new ShapeBook();
    private final Map<Integer, Object> setups = new HashMap<>();
    private final Map<Integer, RemoteFailure> setupFailures = new HashMap<>();
    // cancellation: guarded by runLock, written by the network thread and the task thread
    private final Object runLock = new Object();
    private final CancelledTasks cancelled = new CancelledTasks();
    /** Tasks the task thread has taken, to run or to skip; guarded by runLock. */
    private long started;
    private long current = -1;
    private boolean cancelRequested;
    private Thread runningThread;
    /** Tasks queued so far; network thread only (it queues and cancels). */
    private long received;

    TaskRunner(Consumer<List<Message>> replies, ClassLoader loader) {
        this(replies, loader, SerialFilter.defaults());
    }

    TaskRunner(Consumer<List<Message>> replies, ClassLoader loader, SerialFilter filter) {
        this(replies, loader, filter, ByteBufAllocator.DEFAULT);
    }

    /**
     * @param replies takes each batch of replies, in order, on the task thread; the list is the
     *     caller's to keep
     * @param alloc allocates the buffers big {@code byte[]} results are copied into
     */
    TaskRunner(Consumer<List<Message>> replies, ClassLoader loader, SerialFilter filter, ByteBufAllocator alloc) {
        this(replies, loader, filter, alloc, Integer.MAX_VALUE);
    }

    /**
     * @param maxFrameBytes the manager's frame limit (from WELCOME): a reply over it becomes its task's failure
     */
    TaskRunner(Consumer<List<Message>> replies, ClassLoader loader, SerialFilter filter, ByteBufAllocator alloc,
            int maxFrameBytes) {
        this(new ReplyBatch(replies), loader, filter, alloc, maxFrameBytes);
    }

    /** With a batch of other limits, for tests. */
    TaskRunner(ReplyBatch replies, ClassLoader loader, SerialFilter filter, ByteBufAllocator alloc) {
        this(replies, loader, filter, alloc, Integer.MAX_VALUE);
    }

    private TaskRunner(ReplyBatch replies, ClassLoader loader, SerialFilter filter, ByteBufAllocator alloc,
            int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
        this.alloc = alloc;
        this.replies = replies;
        this.loader = loader;
        this.filter = filter;
        this.thread = new Thread(new Runnable() {
            @Override
            public void run() {
                loop();
            }
        }, "jparallel-task");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a setup, a task or a release, to be handled in order after {@link #wake}. Called by the
     * thread that calls {@link #cancel}, in the order the messages arrived.
     */
    void queue(Message m) {
        if (m.type() == org.jparallel.core.protocol.MessageType.TASK) {
            received++;
        }
        inbox.add(m);
    }

    /** Lets the task thread go on with what was queued; the network thread calls it once per read. */
    void wake() {
        inbox.wake();
    }

    void setup(Message.Setup s) {
        queue(s);
        wake();
    }

    void release(int contextId) {
        queue(new Message.Release(contextId));
        wake();
    }

    void run(Message.Task t) {
        queue(t);
        wake();
    }

    private void loop() {
        while (!stopped) {
            Message m = inbox.poll();
            if (m == null) {
                try {
                    replies.sendAll();
                } catch (Throwable e) {
                    if (stopped) {
                        return;
                    }
                    LOG.error("the task thread could not hand on its replies; going on", e);
                }
                inbox.await();
                if (!stopped) {
                    Thread.interrupted(); // a stray interrupt (a task's own timer) would make every park return at once
                }
                continue;
            }
            try {
                handle(m);
            } catch (Throwable e) {
                if (stopped) {
                    return;
                }
                // never let the thread end: the worker would go on with heartbeats and its tasks would hang
                LOG.error("the task thread failed on a {} message; going on", m.type(), e);
                if (m instanceof Message.Task t) {
                    answerFailed(t, e);
                }
            }
        }
    }

    /** Answers a task whose handling failed outside the task itself (an error while writing its reply). */
    private void answerFailed(Message.Task t, Throwable e) {
        try {
            replies.add(failure(t.taskId(), RemoteFailure.synthetic(e.getClass().getName(),
                    "the worker could not answer task " + t.taskId() + ": " + e.getMessage(), null)), Long.MAX_VALUE,
                    System.nanoTime());
        } catch (Throwable again) {
            LOG.error("the failure of task {} could not be sent either", t.taskId(), again);
        }
    }

    private void handle(Message m) {
        switch (m.type()) {
            case SETUP -> setupPayloads.put(((Message.Setup) m).contextId(), ((Message.Setup) m).payload());
            case SHAPE -> {
                Message.Shape sh = (Message.Shape) m;
                try {
                    shapes.define(sh.id(), sh.description());
                } catch (StreamCorruptedException e) {
                    LOG.warn("ignored a lambda shape from the manager: {}", e.getMessage()); // its tasks will fail
                }
            }
            case RELEASE -> {
                int contextId = ((Message.Release) m).contextId();
                setupPayloads.remove(contextId);
                setups.remove(contextId);
                setupFailures.remove(contextId);
                LOG.debug("released the setup of context {}", contextId);
            }
            case TASK -> {
                long start = System.nanoTime();
                Message reply = execute((Message.Task) m);
                long end = System.nanoTime();
                replies.add(reply, end - start, end);
            }
            default -> LOG.warn("the task thread got a {} message; ignored", m.type());
        }
    }

    /**
     * For the periodic check of {@link HeldReplyWatch}: sends the replies held back longer than {@code ageNanos}.
     *
     * @return true when it sent some
     */
    boolean sendHeldOlderThan(long ageNanos) {
        return replies.sendIfOlderThan(ageNanos, System.nanoTime());
    }

    /** @return true while replies are held back for a batch */
    boolean holding() {
        return replies.holding();
    }

    /** @return true while the task thread has work: it runs or has messages queued */
    boolean busy() {
        return inbox.busy();
    }

    /** Interrupts the task if it runs now, or marks it to be skipped if it still waits. */
    void cancel(long taskId) {
        cancel(taskId, true);
    }

    /**
     * Marks the task to be skipped if it still waits; interrupts it if it runs and {@code interrupt} is
     * set. The manager cancels only tasks it has sent, so a task that neither waits nor runs has
     * already run, and its cancellation is dropped.
     */
    void cancel(long taskId, boolean interrupt) {
        synchronized (runLock) {
            if (current == taskId) {
                if (!interrupt) {
                    return;
                }
                LOG.info("interrupting task {} at the manager's request", taskId);
                cancelRequested = true;
                runningThread.interrupt();
            } else {
                cancelled.add(taskId, received, started);
            }
        }
    }

    /** @return how many cancellations of queued tasks are kept */
    int cancellationsRemembered() {
        synchronized (runLock) {
            return cancelled.size();
        }
    }

    /** Stops the task thread: the running task is interrupted, queued ones are dropped. */
    void shutdown() {
        stopped = true;
        inbox.clear();
        thread.interrupt();
    }

    private Message execute(Message.Task t) {
        synchronized (runLock) {
            started++;
            if (cancelled.take(t.taskId(), started)) {
                return failure(t.taskId(), RemoteFailure.synthetic("java.util.concurrent.CancellationException",
                        "task " + t.taskId() + " was cancelled before it started", null));
            }
            current = t.taskId();
            cancelRequested = false;
            runningThread = Thread.currentThread();
            Thread.interrupted();
        }
        try {
            return runTask(t);
        } finally {
            synchronized (runLock) {
                current = -1;
                Thread.interrupted();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Message runTask(Message.Task t) {
        try {
            Object setupValue = setupFor(t.contextId());
            long start = System.nanoTime();
            Task<Object, Object> task = (Task<Object, Object>) Payloads.deserialize(t.payload(), t.arrays(), shapes, loader, filter);
            Object result = task.run(setupValue);
            if (result instanceof byte[] bytes && bytes.length >= BUFFER_RESULTS_FROM) {
                String tooBig = FrameLimit.resultTooBig(t.taskId(), 1L + bytes.length, maxFrameBytes);
                if (tooBig != null) {
                    return failure(t.taskId(), RemoteFailure.synthetic(RESULT_TOO_LARGE, tooBig, null));
                }
                // one copy, now, into a buffer the socket takes as it is; the array is the task's again
                ByteBuf copy = alloc.directBuffer(bytes.length).writeBytes(bytes);
                return new Message.BufferedResult(t.taskId(), micros(start), copy);
            }
            byte[] payload = Payloads.serialize(result);
            String tooBig = FrameLimit.resultTooBig(t.taskId(), payload.length, maxFrameBytes);
            if (tooBig != null) {
                return failure(t.taskId(), RemoteFailure.synthetic(RESULT_TOO_LARGE, tooBig, null));
            }
            return new Message.Result(t.taskId(), micros(start), payload);
        } catch (SetupFailed e) {
            return failure(t.taskId(), e.failure);
        } catch (Throwable e) {
            LOG.debug("task {} threw", t.taskId(), e);
            return failure(t.taskId(), RemoteFailure.of(e));
        }
    }

    private static int micros(long start) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - start) / 1_000);
    }

    private Object setupFor(int contextId) throws SetupFailed {
        if (setups.containsKey(contextId)) {
            return setups.get(contextId);
        }
        RemoteFailure earlier = setupFailures.get(contextId);
        if (earlier != null) {
            throw new SetupFailed(earlier);
        }
        byte[] payload = setupPayloads.remove(contextId);
        if (payload == null) {
            return null;
        }
        try {
            Setup<?> setup = (Setup<?>) Payloads.deserialize(payload, loader, filter);
            long start = System.nanoTime();
            Object value = setup.setup();
            LOG.info("ran the setup of context {} in {} ms", contextId, (System.nanoTime() - start) / 1_000_000);
            setups.put(contextId, value);
            return value;
        } catch (Throwable e) {
            if (wasCancelled()) {
                // The task was interrupted during the setup: the setup did not fail, so keep it for the next task.
                setupPayloads.put(contextId, payload);
                throw new SetupFailed(RemoteFailure.synthetic("java.util.concurrent.CancellationException",
                        "the task was cancelled while the setup of context " + contextId + " ran", e));
            }
            RemoteFailure f = RemoteFailure.synthetic(SETUP_FAILED, "the setup of context " + contextId
                    + " failed on this worker, so its tasks cannot run here", e);
            setupFailures.put(contextId, f);
            LOG.warn("the setup of context {} failed", contextId, e);
            throw new SetupFailed(f);
        }
    }

    private boolean wasCancelled() {
        synchronized (runLock) {
            return cancelRequested;
        }
    }

    private Message failure(long taskId, RemoteFailure f) {
        byte[] payload;
        try {
            payload = Payloads.serialize(f);
        } catch (RuntimeException e) {
            payload = Payloads.serialize(RemoteFailure.synthetic(f.className(), String.valueOf(f.message()), null));
        }
        if (!FrameLimit.failureFits(payload.length, maxFrameBytes)) {
            // a frame over the limit would cost the connection: send the failure's class and the start of its message
            LOG.warn("the failure of task {} is {} bytes, over the frame limit of {}; sent without its stack trace: {}",
                    taskId, payload.length, maxFrameBytes, f.className());
            String message = String.valueOf(f.message());
            payload = Payloads.serialize(RemoteFailure.synthetic(f.className(), message.substring(0,
                    Math.min(message.length(), CUT_MESSAGE_CHARS)) + " [cut: the failure was " + payload.length
                    + " bytes, over the limit of " + maxFrameBytes + " bytes per message (" + FrameLimit.SETTING
                    + ")]", null));
        }
        return new Message.Failure(taskId, payload);
    }

    /** A setup failure, carried to the task that needed it. */
    private static final class SetupFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final transient RemoteFailure failure;

        SetupFailed(RemoteFailure failure) {
            super(failure.message(), null, false, false);
            this.failure = failure;
        }
    }
}
