package org.jparallel.cli;

import java.io.PrintWriter;
import org.jparallel.cli.run.LogCommand;
import org.jparallel.cli.run.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jparallel} command: {@code run}, {@code log}, {@code journal}, {@code demo}, {@code worker},
 * {@code doctor} and {@code config}.
 * Run {@code jparallel help COMMAND} or {@code jparallel COMMAND --help} for each one's options.
 */
@Command(name = "jparallel", mixinStandardHelpOptions = true, version = "jparallel 0.1.0",
        description = "Farm tasks out from one manager to many workers: run shell commands as tasks, read a run's "
                + "log, inspect or compact a result journal, run the demo, start a worker by hand, check a configuration, list the configuration keys.",
        subcommands = {RunCommand.class, LogCommand.class, JournalCommand.class, DemoCommand.class, WorkerCommand.class, DoctorCommand.class, ConfigCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        // Library logging below warnings would break the progress bar and repeat doctor's findings;
        // -Dorg.slf4j.simpleLogger.defaultLogLevel=info (JPARALLEL_LOG_LEVEL=info for scripts/jparallel) shows it.
        if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, args.length > 0 && args[0].equals("doctor") ? "error" : "warn");
        }
        System.exit(run(args));
    }

    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    /**
     * Runs a command line in this JVM (tests use it), printing to standard output and error.
     *
     * @param args the arguments
     * @return the exit code
     */
    public static int run(String... args) {
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
    }

    /** @return the command line, printing usage and errors to the given writers */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        // jparallel run OPTIONS COMMAND ARGS: the command's own options are not run's
        cl.getSubcommands().get("run").setStopAtPositional(true);
        return cl;
    }

    @Override
    public void run() {
        // no command: show the usage, and fail so scripts notice
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: run, log, journal, demo, worker, doctor or config");
    }
}
