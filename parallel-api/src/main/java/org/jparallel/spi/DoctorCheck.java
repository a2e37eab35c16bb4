package org.jparallel.spi;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One check {@code jparallel doctor} runs for a group of a backend, offered by {@link
 * WorkerBackend#doctorChecks}: it says whether the group can work on this machine (a command is on the
 * PATH, a host answers) and, when not, what to do. Doctor prints its {@link #name()} followed by
 * {@code (group NAME)}, then the result's detail and fix.
 */
public interface DoctorCheck {

    /** @return what is checked, e.g. {@code qsub} or {@code ssh host alice@node1:22} */
    String name();

    /**
     * Runs the check; it may take a while (a network round trip) but should end within a bounded time.
     * An exception it throws is reported as a failure.
     *
     * @return the outcome
     */
    Result run();

    /**
     * @param name what is checked
     * @param check what runs it
     * @return a check made of a name and a function
     */
    static DoctorCheck of(String name, Supplier<Result> check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        return new DoctorCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Result run() {
                return check.get();
            }
        };
    }

    /** How a check ended. */
    enum Status {
        /** It passed. */
        OK,
        /** Something may go wrong, or nothing will run (a dry run). */
        WARN,
        /** It failed: a run would fail or hang. */
        FAIL
    }

    /**
     * The outcome of a check.
     *
     * @param status passed, a warning or failed
     * @param detail what was found
     * @param fix what to do about a warning or failure; empty when nothing
     */
    record Result(Status status, String detail, String fix) {
        /** Checks the parts. */
        public Result {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
            fix = fix == null ? "" : fix;
        }

        /** @return a passed check saying what was found */
        public static Result ok(String detail) {
            return new Result(Status.OK, detail, "");
        }

        /** @return a warning with what to do about it */
        public static Result warn(String detail, String fix) {
            return new Result(Status.WARN, detail, fix);
        }

        /** @return a failure with what to do about it */
        public static Result fail(String detail, String fix) {
            return new Result(Status.FAIL, detail, fix);
        }
    }
}
