package org.jparallel.core.worker;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.internal.logging.InternalLogger;
import java.io.StreamCorruptedException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jparallel.Task;
import org.jparallel.core.protocol.Message;
import org.jparallel.core.serial.Payloads;
import org.jparallel.core.serial.RemoteFailure;
import org.jparallel.core.serial.SerialFilter;
import org.jparallel.core.serial.ShapeBook;
import org.jparallel.core.worker.startup.WorkerLogs;

/**
 * Runs a worker's tasks on threads of their own (never the network thread, so heartbeats go on during
 * a long task): one at a time on the task thread, or, on a worker with several task slots, as many at
 * once as it has slots, in the order they arrived, on a pool of slot threads (the task thread then
 * hands them on in order, after the setups and shapes before them). Each context's setup runs once per
 * worker, before the context's first task, and is shared by the tasks of every slot until the manager
 * releases it (see {@link SetupCache}). A task or setup that throws becomes a
 * FAILURE message; the worker lives on. The results of small tasks go out in batches (see
 * {@link ReplyBatch}), so the network thread is woken once per batch.
 */
final class TaskRunner {
    private static final InternalLogger LOG = WorkerLogs.logger(TaskRunner.class);

    /** A {@code byte[]} result from this size on goes straight into a direct buffer; see {@link Message.BufferedResult}. */
    static final int BUFFER_RESULTS_FROM = 32 * 1024;
    private final TaskInbox inbox = new TaskInbox();
    private final ReplyBatch replies;
    private final Thread thread;
    /** What a slot thread runs for each task: a class, not {@code this::runAndAnswer} (a fresh worker's first task). */
    private final Consumer<Message.Task> slotRun = new Consumer<Message.Task>() {
        @Override
        public void accept(Message.Task t) {
            runAndAnswer(t);
        }
    };
    private volatile boolean stopped;
    /** What each task's outcome becomes on the wire. */
    private final TaskReplies answers;
    private final ClassLoader loader;
    private final SerialFilter filter;
    /** Defined on the task thread, read by the slot threads. */
    private final ShapeBook shapes = new ShapeBook();
    private final SetupCache setups;
    /** The slot threads, or {@code null} on a worker with one slot (the task thread runs its tasks). */
    private final TaskSlots slots;
    // cancellation: guarded by runLock, written by the network thread and the threads running tasks
    private final Object runLock = new Object();
    private final CancelledTasks cancelled = new CancelledTasks();
    /** Tasks taken to run or to skip; guarded by runLock. */
    private long started;
    /** The tasks running now, and the thread running each; guarded by runLock. */
    private final Map<Long, Thread> running = new HashMap<>();
    /** The running tasks the manager asked to interrupt; guarded by runLock. */
    private final Set<Long> cancelRequested = new HashSet<>();
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
        this(new ReplyBatch(replies), loader, filter, () -> alloc, maxFrameBytes, 1);
    }

    /** With a batch of other limits, for tests. */
    TaskRunner(ReplyBatch replies, ClassLoader loader, SerialFilter filter, ByteBufAllocator alloc) {
        this(replies, loader, filter, () -> alloc, Integer.MAX_VALUE, 1);
    }

    /** @param slotCount how many tasks it runs at once */
    TaskRunner(Consumer<List<Message>> replies, ClassLoader loader, SerialFilter filter, ByteBufAllocator alloc,
            int maxFrameBytes, int slotCount) {
        this(new ReplyBatch(replies), loader, filter, () -> alloc, maxFrameBytes, slotCount);
    }

    /**
     * As the constructor above, the allocator asked for only when a big {@code byte[]} result needs a buffer: the
     * blocking transport's, so that a fresh worker whose first results are small sets none of Netty's buffers up
     */
    TaskRunner(Consumer<List<Message>> replies, ClassLoader loader, SerialFilter filter,
            Supplier<ByteBufAllocator> alloc, int maxFrameBytes, int slotCount) {
        this(new ReplyBatch(replies), loader, filter, alloc, maxFrameBytes, slotCount);
    }

    private TaskRunner(ReplyBatch replies, ClassLoader loader, SerialFilter filter, Supplier<ByteBufAllocator> alloc,
            int maxFrameBytes, int slotCount) {
        this.setups = new SetupCache(loader, filter);
        this.slots = slotCount > 1 ? new TaskSlots(slotCount, replies) : null;
        this.answers = new TaskReplies(alloc, maxFrameBytes);
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
                logsAfterFirstResult();
                inbox.await();
                if (!stopped) {
                    Thread.interrupted(); // a stray interrupt (a task's own timer) would make every park return at once
                }
                continue;
            }
            try {
                handle(m);
                logsAfterFirstResult();
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

    /**
     * A fresh worker sets its logging up once its first results are handed on ({@link WorkerLogs}), here
     * between tasks, where no task of this worker's one slot runs meanwhile (a task's own threads may: the
     * set-up waits for a SLF4J set-up they began).
     */
    private void logsAfterFirstResult() {
        if (WorkerLogs.deferring() && replies.sentAny()) {
            WorkerLogs.setUp();
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
            case SETUP -> setups.define(((Message.Setup) m).contextId(), ((Message.Setup) m).payload());
            case SHAPE -> {
                Message.Shape sh = (Message.Shape) m;
                try {
                    shapes.define(sh.id(), sh.description());
                } catch (StreamCorruptedException e) {
                    LOG.warn("ignored a lambda shape from the manager: {}", e.getMessage()); // its tasks will fail
                }
            }
            case RELEASE -> setups.release(((Message.Release) m).contextId());
            case TASK -> {
                if (slots != null) {
                    slots.run((Message.Task) m, slotRun);
                } else {
                    runAndAnswer((Message.Task) m);
                }
            }
            default -> LOG.warn("the task thread got a {} message; ignored", m.type());
        }
    }

    /** Runs a task and adds its answer to the replies; on the task thread or a slot thread. */
    private void runAndAnswer(Message.Task t) {
        try {
            long start = System.nanoTime();
            Message reply = execute(t);
            long end = System.nanoTime();
            replies.add(reply, end - start, end);
        } catch (Throwable e) {
            if (stopped) {
                return;
            }
            LOG.error("failed to answer task {}; going on", t.taskId(), e);
            answerFailed(t, e);
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
        return inbox.busy() || (slots != null && slots.busy());
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
            Thread runner = running.get(taskId);
            if (runner != null) {
                if (!interrupt) {
                    return;
                }
                LOG.info("interrupting task {} at the manager's request", taskId);
                cancelRequested.add(taskId);
                runner.interrupt();
            } else {
                if (cancelled.add(taskId, received, started)) { // a task that already ran is not named
                    LOG.debug("task {} cancelled by the manager before it started: it will not run here", taskId);
                }
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
        if (slots != null) {
            slots.shutdown();
        }
    }

    private Message execute(Message.Task t) {
        synchronized (runLock) {
            started++;
            if (cancelled.take(t.taskId(), started)) {
                return failure(t.taskId(), RemoteFailure.synthetic("java.util.concurrent.CancellationException",
                        "task " + t.taskId() + " was cancelled before it started", null));
            }
            running.put(t.taskId(), Thread.currentThread());
            Thread.interrupted();
        }
        try {
            return runTask(t);
        } finally {
            synchronized (runLock) {
                running.remove(t.taskId());
                cancelRequested.remove(t.taskId());
                Thread.interrupted();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Message runTask(Message.Task t) {
        try {
            // a class, not a lambda: the first task runs on a fresh worker's path to its first result
            Object setupValue = setups.get(t.contextId(), TaskSlots.slotOf(Thread.currentThread()),
                    new BooleanSupplier() {
                        @Override
                        public boolean getAsBoolean() {
                            return wasCancelled(t.taskId());
                        }
                    });
            long start = System.nanoTime();
            Task<Object, Object> task = (Task<Object, Object>) Payloads.deserialize(t.payload(), t.arrays(), shapes, loader, filter);
            return answers.result(t.taskId(), start, task.run(setupValue));
        } catch (SetupCache.SetupFailed e) {
            return failure(t.taskId(), e.failure);
        } catch (Throwable e) {
            LOG.debug("task {} threw", t.taskId(), e);
            return failure(t.taskId(), RemoteFailure.of(e));
        }
    }

    private boolean wasCancelled(long taskId) {
        synchronized (runLock) {
            return cancelRequested.contains(taskId);
        }
    }

    private Message failure(long taskId, RemoteFailure f) {
        return answers.failure(taskId, f);
    }
}
