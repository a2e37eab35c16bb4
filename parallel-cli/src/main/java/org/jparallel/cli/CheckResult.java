package org.jparallel.cli;

/**
 * The outcome of one {@code jparallel doctor} check.
 *
 * @param status passed, failed, a warning, or not run
 * @param name what was checked, e.g. {@code probe worker (group default)}
 * @param message what was found
 * @param fix what to do about a failure or warning; empty when nothing
 */
record CheckResult(Status status, String name, String message, String fix) {

    /** How a check ended. */
    enum Status {
        /** It passed. */
        OK,
        /** It failed: the run would fail or hang. */
        FAIL,
        /** Something may go wrong. */
        WARN,
        /** Not run, because an earlier check failed or it does not apply. */
        SKIP
    }

    static CheckResult ok(String name, String message) {
        return new CheckResult(Status.OK, name, message, "");
    }

    static CheckResult fail(String name, String message, String fix) {
        return new CheckResult(Status.FAIL, name, message, fix);
    }

    static CheckResult warn(String name, String message, String fix) {
        return new CheckResult(Status.WARN, name, message, fix);
    }

    static CheckResult skip(String name, String why) {
        return new CheckResult(Status.SKIP, name, why, "");
    }

    /** @return the result as printed: a tag, the name, the message and the fix on its own lines */
    String render() {
        String tag = switch (status) {
            case OK -> "[ OK ]";
            case FAIL -> "[FAIL]";
            case WARN -> "[WARN]";
            case SKIP -> "[SKIP]";
        };
        StringBuilder b = new StringBuilder(tag).append(' ').append(name).append(": ")
                .append(message.strip().replace("\n", "\n       "));
        if (!fix.isBlank()) {
            b.append("\n       fix: ").append(fix.strip().replace("\n", "\n       "));
        }
        return b.toString();
    }
}
