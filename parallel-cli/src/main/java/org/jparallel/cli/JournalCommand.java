package org.jparallel.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jparallel.core.journal.JournalCompaction;
import org.jparallel.core.journal.JournalInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jparallel journal info FILE} and {@code jparallel journal compact FILE}: what a result journal holds, and
 * its rewriting with one record per key, for journals of millions of results that a campaign resumes many times
 * (README, "Runs that survive the manager").
 */
@Command(name = "journal", mixinStandardHelpOptions = true,
        description = "Inspects or compacts a result journal (jparallel run --journal, jparallel.manager.journal).",
        subcommands = {JournalCommand.Info.class, JournalCommand.Compact.class})
final class JournalCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: info or compact");
    }

    /** {@code jparallel journal info FILE}. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = {"Prints what a journal holds: its records (contexts, results, failures), its delivery "
                    + "marks, its keys by state, its size, whether it ends in a torn record, and what a compaction "
                    + "would keep. Reads both files without changing them (a running manager's journal included).",
                    "Exit code: 0, or 1 when the file cannot be read or is not a journal."})
    static final class Info implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "the journal")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            JournalInfo i = read(spec, "info", file);
            if (i == null) {
                return 1;
            }
            out.printf("journal      %s%n", i.file());
            out.printf("program      %s (journal started %s)%n", i.identity(), Instant.ofEpochMilli(i.created()));
            out.printf("records      %,d in the log: %d context(s), %,d result(s), %,d failure(s); %,d delivery"
                    + " mark(s) beside it%n", i.records(), i.contexts(), i.resultRecords(), i.failureRecords(),
                    i.marks());
            out.printf("keys         %,d delivered, %,d result(s) not yet delivered (a restart hands them out),"
                    + " %,d failed (a restart runs them again)%n", i.delivered(), i.undelivered(), i.failed());
            out.printf("bytes        %,d (log %,d, delivery marks %,d)%n", i.bytes(), i.logBytes(), i.marksBytes());
            out.printf("torn tail    %s%n", i.tornBytes() == 0 ? "none" : String.format("%,d byte(s) after the last"
                    + " whole record (%s): dropped when a manager resumes the journal", i.tornBytes(), i.torn()));
            out.printf("compaction   would keep %,d of %,d records (jparallel journal compact)%n",
                    i.recordsAfterCompaction(), i.records() + i.marks());
            out.flush();
            return 0;
        }
    }

    /** {@code jparallel journal compact FILE}. */
    @Command(name = "compact", mixinStandardHelpOptions = true,
            description = {"Rewrites a journal with one record per key: a delivered key keeps only its key (its "
                    + "result's bytes go), a result not yet delivered keeps its result, a failed key its last "
                    + "failure; the delivery marks move into the log and FILE.delivered starts empty. Written to a "
                    + "temporary file and moved over the journal atomically. Refused while a manager holds the "
                    + "journal (FILE.lock); a manager started meanwhile is refused in turn.",
                    "Exit code: 0, or 1 when the journal is in use, cannot be read or written, or is not one."})
    static final class Compact implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "the journal")
        Path file;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                return fail(spec, "compact", file + ": no such journal file");
            }
            JournalCompaction.Outcome o;
            try {
                o = JournalCompaction.compact(file);
            } catch (IOException e) {
                return fail(spec, "compact", "could not compact " + file + " (it is left as it was): " + e);
            } catch (IllegalStateException e) {
                return fail(spec, "compact", e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("compacted %s: %,d records, %,d bytes -> %,d records, %,d bytes%n", file,
                    o.before().records() + o.before().marks(), o.before().bytes(),
                    o.after().records() + o.after().marks(), o.after().bytes());
            out.flush();
            return 0;
        }
    }

    private static JournalInfo read(CommandLine.Model.CommandSpec spec, String command, Path file) {
        if (!Files.isRegularFile(file)) {
            fail(spec, command, file + ": no such journal file");
            return null;
        }
        try {
            return JournalInfo.of(file);
        } catch (IOException e) {
            fail(spec, command, "could not read " + file + ": " + e);
        } catch (IllegalStateException e) {
            fail(spec, command, e.getMessage());
        }
        return null;
    }

    private static int fail(CommandLine.Model.CommandSpec spec, String command, String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("jparallel journal " + command + ": " + message);
        err.flush();
        return 1;
    }
}
