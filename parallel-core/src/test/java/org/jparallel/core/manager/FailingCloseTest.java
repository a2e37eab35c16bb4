package org.jparallel.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.Context;
import org.jparallel.JournalMode;
import org.jparallel.JournalSettings;
import org.jparallel.Manager;
import org.jparallel.ManagerBuilder;
import org.jparallel.TaskOptions;
import org.jparallel.core.journal.Journal;
import org.jparallel.core.journal.JournalContext;
import org.jparallel.core.journal.JournalLock;
import org.jparallel.core.status.StatusPageProvider;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.jparallel.spi.WorkerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A close that fails part-way still does the rest: a context's close frees its name, a manager's close its socket
 * and journal; the first failure is thrown, and a second close neither skips what is still undone nor hangs. The
 * failures: a context whose close must map the journal's delivery marks further when the marks' channel is closed
 * under them (the test closes it by reflection: an interrupt of the closing thread used to, and no longer does),
 * and a status page (a {@link StatusPageProvider}, found by the thread's context class loader as the manager finds
 * parallel-status's) whose close throws. A context's close tried again makes the delivery marks the failed one
 * could not, once they can be written.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailingCloseTest {
    private static final String IDENTITY = "failing-close";
    private static final int HELD = HeldJournal.HELD;

    @TempDir
    Path dir;

    private Path journal() {
        return dir.resolve("journal");
    }

    private static String key(int i) {
        return HeldJournal.key(i);
    }

    /** Journals a raw result for each key of context {@code name}, as an earlier run would have. */
    private void earlierRun(String name, int keys) throws InterruptedException {
        HeldJournal.earlierRun(journal(), IDENTITY, name, keys);
    }

    /** Reads {@link #HELD} results of {@code c}, each from a task of its own key: held, marked delivered at its close. */
    private static void holdResults(Context<Void, byte[]> c) {
        for (int i = 0; i < HELD; i++) {
            c.addTask(setup -> new byte[0], TaskOptions.none().withKey(key(i)));
            c.getResultsUnordered().iterator().next();
        }
    }

    private ManagerBuilder builder() {
        return Manager.builder().bindAddress("127.0.0.1").journal(journal()).journalIdentity(IDENTITY);
    }

    @Test
    void aContextWhoseCloseFailsStillLetsGoOfItsNameAndASecondCloseTriesTheMarksAgain() throws Exception {
        earlierRun("c", HELD);
        try (Manager m = builder().build()) {
            Context<Void, byte[]> c = m.getContext("c");
            holdResults(c);
            marksChannel(m).close();
            UncheckedIOException e = assertThrows(UncheckedIOException.class, c::close);
            assertInstanceOf(ClosedChannelException.class, e.getCause());
            m.getContext("c").close(); // its name is free again: the manager let go of it despite the failure
            // the marks it could not write are not dropped: tried again, they fail again while the channel is closed
            assertThrows(UncheckedIOException.class, c::close);
        }
    }

    @Test
    void aContextCloseTriedAgainMarksTheHeldResultsTheFailedCloseCouldNot() throws Exception {
        earlierRun("c", HELD);
        try (Manager m = builder().build()) {
            Context<Void, byte[]> c = m.getContext("c");
            holdResults(c);
            FileChannel marks = marksChannel(m);
            marks.close(); // the marks past their first mapping cannot be written
            assertThrows(UncheckedIOException.class, c::close);
            setMarksChannel(m, FileChannel.open(marksFile(), StandardOpenOption.READ, StandardOpenOption.WRITE));
            c.close(); // the marks can be written again: the close tried again makes those the first could not
            c.close(); // and then it is done
        }
        try (Journal j = Journal.open(new JournalSettings(journal(), JournalMode.RESUME, IDENTITY))) {
            JournalContext c = j.context("c", "none");
            for (int i = 0; i < HELD; i++) {
                assertInstanceOf(JournalContext.Delivered.class, c.replay(key(i)), "result " + i + " marked"
                        + " delivered (else a restarted run hands it out again)");
            }
        }
    }

    @Test
    void aReadWhoseMarkFailsThrowsOnceAndTheReadingGoesOn() throws Exception {
        earlierRun("c", HELD);
        try (Manager m = builder().build()) {
            Context<Void, byte[]> c = m.getContext("c");
            for (int i = 0; i < HELD; i++) {
                c.addTask(setup -> new byte[0], TaskOptions.none().withKey(key(i)));
            }
            marksChannel(m).close(); // the marks past their first mapping cannot be written
            Iterator<byte[]> results = c.getResultsUnordered().iterator();
            int read = 0;
            int failures = 0;
            // each failed mark is thrown by one hasNext(); the next one goes on to the next result
            for (int tries = 0; tries < 3 * HELD && read < HELD; tries++) {
                try {
                    if (!results.hasNext()) {
                        break;
                    }
                } catch (UncheckedIOException e) {
                    assertInstanceOf(ClosedChannelException.class, e.getCause());
                    failures++;
                    continue;
                }
                results.next();
                read++;
            }
            assertEquals(HELD, read, "every result read, whatever marks failed (" + failures + " failures)");
            assertTrue(failures > 0, "no mark failed: the marks never crossed their first mapping");
            assertThrows(UncheckedIOException.class, c::close); // the results whose marks failed are still held
        }
    }

    @Test
    void aContextCloseTriedAgainAfterItsManagerClosedWarnsThatTheResultsItHeldMayBeDeliveredAgain() throws Exception {
        earlierRun("c", HELD);
        Context<Void, byte[]> c;
        try (Manager m = builder().build()) {
            c = m.getContext("c");
            holdResults(c);
            marksChannel(m).close(); // the marks past their first mapping cannot be written
            assertThrows(UncheckedIOException.class, c::close);
        }
        // the journal is closed: the marks the failed close could not make are not made now, and the program is told
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            c.close();
        } finally {
            System.setErr(err);
        }
        String logged = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(logged.contains("WARN") && logged.contains("delivered again after a restart"),
                "no warning that results are left unmarked: " + logged);
    }

    private Path marksFile() {
        return journal().resolveSibling(journal().getFileName() + ".delivered");
    }

    private static void setMarksChannel(Manager m, FileChannel channel) throws ReflectiveOperationException {
        Object marks = field(field(field(m, "registry"), "journal"), "marks");
        java.lang.reflect.Field f = marks.getClass().getDeclaredField("channel");
        f.setAccessible(true);
        synchronized (marks) { // the marks' lock guards their channel
            f.set(marks, channel);
        }
    }

    /** @return the channel of the manager's journal's delivery marks (manager, registry, journal, marks) */
    private static FileChannel marksChannel(Manager m) throws ReflectiveOperationException {
        Object journal = field(field(m, "registry"), "journal");
        return (FileChannel) field(field(journal, "marks"), "channel");
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        java.lang.reflect.Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    @Test
    void aManagerWhoseCloseFailsStillClosesItsSocketAndJournalAndASecondCloseEndsIt() throws Exception {
        Group workers = new Group();
        Manager m = withStatusPage(() -> builder().statusPort(0).build());
        m.addWorker(workers);
        assertTrue(workers.started.await(30, TimeUnit.SECONDS));
        InetSocketAddress address = m.listenAddress();

        IllegalStateException e = assertThrows(IllegalStateException.class, m::close);

        assertEquals(StuckStatusPage.MESSAGE, e.getMessage());
        assertFalse(workers.handle.stops.isEmpty(), "the worker was stopped");
        assertThrows(ConnectException.class, () -> new Socket(address.getAddress(), address.getPort()).close(),
                "the manager no longer listens");
        JournalLock.acquire(journal(), "the test").close(); // the journal was closed: its lock is free
        m.close(); // the status page's close, tried again, succeeds; the rest is not done again
        assertEquals(2, StuckStatusPage.closes.get());
        m.close();
        assertEquals(2, StuckStatusPage.closes.get());
    }

    /** Builds a manager whose status page is a {@link StuckStatusPage}. */
    private Manager withStatusPage(java.util.function.Supplier<Manager> build) throws IOException {
        Path services = dir.resolve("services/META-INF/services/" + StatusPageProvider.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, StuckStatusPage.class.getName() + "\n");
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("services").toUri().toURL()},
                getClass().getClassLoader())) {
            t.setContextClassLoader(loader);
            StuckStatusPage.closes.set(0);
            return build.get();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /** A status page whose first close throws. */
    public static final class StuckStatusPage implements StatusPageProvider {
        static final String MESSAGE = "the status page would not stop";
        static final AtomicInteger closes = new AtomicInteger();

        @Override
        public Running start(Manager manager, EventLoopGroup group, String bind, int port) {
            return new Running() {
                @Override
                public InetSocketAddress address() {
                    return new InetSocketAddress(bind, 1);
                }

                @Override
                public void close() {
                    if (closes.incrementAndGet() == 1) {
                        throw new IllegalStateException(MESSAGE);
                    }
                }
            };
        }
    }

    /** One worker whose handle records its stops. */
    private static final class Group implements WorkerGroup {
        final CountDownLatch started = new CountDownLatch(1);
        final Handle handle = new Handle();

        @Override
        public int size() {
            return 1;
        }

        @Override
        public String backendName() {
            return "test";
        }

        @Override
        public List<WorkerHandle> start(LaunchSpec spec) {
            handle.id = spec.workerIds().get(0);
            started.countDown();
            return List.of(handle);
        }
    }

    private static final class Handle implements WorkerHandle {
        final List<Thread> stops = new CopyOnWriteArrayList<>();
        volatile int id;

        @Override
        public int workerId() {
            return id;
        }

        @Override
        public String description() {
            return "test worker " + id;
        }

        @Override
        public WorkerStatus status() {
            return stops.isEmpty() ? WorkerStatus.running() : WorkerStatus.exited(0);
        }

        @Override
        public String outputTail(int maxLines) {
            return "";
        }

        @Override
        public String logLocation() {
            return "nowhere";
        }

        @Override
        public void stop() {
            stops.add(Thread.currentThread());
        }
    }
}
