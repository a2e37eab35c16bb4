package org.jparallel.core.worker.startup;

import java.util.concurrent.CountDownLatch;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J provider for {@link WorkerLogsFailureTest}'s child JVMs ({@code -Dslf4j.provider=}), as the system
 * property {@code test.slf4j} says: {@code fail-init} throws from its set-up, {@code fail-log} sets up but its
 * loggers throw on a message containing {@code explode}, {@code slow-init} holds its set-up until
 * {@link #RELEASE} opens. Its loggers write every level to standard output, prefixed {@code slf4j: }.
 */
public final class TestSlf4jProvider implements SLF4JServiceProvider {
    /** Opened once {@code slow-init}'s set-up has begun (under SLF4J's lock). */
    static final CountDownLatch INIT_STARTED = new CountDownLatch(1);
    /** Lets {@code slow-init}'s set-up end. */
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    private static final String MODE = System.getProperty("test.slf4j", "");
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private final ILoggerFactory loggers = Out::new;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        if (MODE.equals("fail-init")) {
            throw new IllegalStateException("the test's SLF4J provider cannot set up");
        }
        if (MODE.equals("slow-init")) {
            INIT_STARTED.countDown();
            try {
                RELEASE.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes every level to standard output. */
    private static final class Out extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        Out(String name) {
            this.name = name;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] args,
                Throwable thrown) {
            String text = MessageFormatter.basicArrayFormat(message, args);
            if (MODE.equals("fail-log") && text.contains("explode")) {
                throw new IllegalStateException("the test's SLF4J logger cannot write '" + text + "'");
            }
            System.out.println("slf4j: [" + Thread.currentThread().getName() + "] " + level + " " + name + " - "
                    + text + (thrown == null ? "" : " / " + thrown));
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}
