package org.jparallel.slurm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.CommandRunner;
import org.jparallel.spi.TaskIdRanges;
import org.jparallel.spi.batch.ArrayTask;
import org.jparallel.spi.batch.BatchScheduler;
import org.jparallel.spi.batch.Submission;
import org.jparallel.spi.batch.TaskState;

/**
 * Slurm as a {@link BatchScheduler}: one {@code sbatch --parsable --array=IDS} per submission (any
 * list of ids), whose tasks read their worker id from {@code SLURM_ARRAY_TASK_ID}; one {@code squeue
 * -h -r -t all} for every job; {@code sacct} for tasks that left squeue; one {@code scancel} naming
 * {@code JOB_[1-3,5]} per job. Holds what only Slurm has: partition, time limit, memory, account and
 * the extra {@code #SBATCH} lines. A held job or one Slurm can never grant fails its worker at once;
 * an ended one reports its state with Slurm's reason and, for a time limit or memory, the key to raise.
 */
public final class SlurmScheduler implements BatchScheduler {
    private static final String SQUEUE_FORMAT = "%i|%T|%r";

    private String partition;
    private String time;
    private String memory;
    private String account;
    private List<String> directives = List.of();
    private boolean history = true;

    /** @param partition the partition ({@code sbatch --partition}), or {@code null} for the cluster's default; @return this */
    public SlurmScheduler partition(String partition) {
        this.partition = blankToNull(partition);
        return this;
    }

    /**
     * @param limit the time limit of each worker's job ({@code sbatch --time}): {@code MINUTES}, {@code
     *     HH:MM:SS}, {@code D-HH:MM} ...; {@code null} for the partition's default
     * @return this
     * @throws IllegalArgumentException when it is not in a form Slurm reads
     */
    public SlurmScheduler time(String limit) {
        String t = blankToNull(limit);
        if (t != null && !t.matches("(?i)\\d+|\\d+:\\d+|\\d+:\\d+:\\d+|\\d+-\\d+(:\\d+){0,2}|UNLIMITED|INFINITE")) {
            throw new IllegalArgumentException("Slurm time limit \"" + limit + "\" is not MINUTES, MM:SS, HH:MM:SS,"
                    + " D-HH, D-HH:MM or D-HH:MM:SS (jparallel.slurm.time)");
        }
        this.time = t;
        return this;
    }

    /** Reads the job's time limit from {@link #time} or a {@code --time=}/{@code -t} among the user's options. */
    @Override
    public java.time.Duration walltime(List<String> userOptions) {
        String t = time;
        for (int i = 0; i < userOptions.size(); i++) {
            String o = userOptions.get(i);
            if (o.startsWith("--time=")) {
                t = o.substring("--time=".length());
            } else if ((o.equals("-t") || o.equals("--time")) && i + 1 < userOptions.size()) {
                t = userOptions.get(i + 1);
            }
        }
        return SlurmTime.parse(t);
    }

    /**
     * Slurm limits jobs to whole minutes, so the walltime is rounded up to the minute ({@code --time=M}).
     */
    @Override
    public List<String> walltimeOptions(java.time.Duration walltime) {
        if (walltime.isNegative() || walltime.isZero()) {
            throw new IllegalArgumentException("a walltime must be positive, got " + walltime);
        }
        long seconds = walltime.getSeconds() + (walltime.getNano() > 0 ? 1 : 0);
        return List.of("--time=" + ((seconds + 59) / 60));
    }

    /**
     * @param memory memory per worker's job ({@code sbatch --mem}), e.g. {@code 4G}; {@code null} for the cluster's default
     * @return this
     * @throws IllegalArgumentException when it is not a number with an optional K, M, G or T
     */
    public SlurmScheduler memory(String memory) {
        String m = blankToNull(memory);
        if (m != null && !m.matches("(?i)\\d+[KMGT]?")) {
            throw new IllegalArgumentException("Slurm memory \"" + memory
                    + "\" is not a number with an optional unit K, M, G or T, e.g. 4G (jparallel.slurm.memory)");
        }
        this.memory = m;
        return this;
    }

    /** @param account the account the jobs are charged to ({@code sbatch --account}); @return this */
    public SlurmScheduler account(String account) {
        this.account = blankToNull(account);
        return this;
    }

    /**
     * @param lines extra {@code #SBATCH} lines, separated by {@code ;} or new lines, each with or without its
     *     {@code #SBATCH} prefix, e.g. {@code --qos=long; --gres=gpu:1}
     * @return this
     */
    public SlurmScheduler sbatchLines(String lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines == null ? new String[0] : lines.split("[;\\r\\n]+")) {
            String t = l.strip();
            if (!t.isEmpty()) {
                out.add("#SBATCH " + (t.startsWith("#SBATCH") ? t.substring("#SBATCH".length()).strip() : t));
            }
        }
        this.directives = List.copyOf(out);
        return this;
    }

    /** @param ask false never to ask sacct (the {@code sacct} command configured as {@code none}); @return this */
    public SlurmScheduler history(boolean ask) {
        this.history = ask;
        return this;
    }

    /** @return the partition, or {@code null} */
    public String partition() {
        return partition;
    }

    /** @return the time limit, or {@code null} */
    public String time() {
        return time;
    }

    @Override
    public String product() {
        return "Slurm";
    }

    @Override
    public List<String> tools() {
        return List.of("sbatch", "squeue", "scancel", "sacct");
    }

    @Override
    public String taskIdVariable() {
        return "SLURM_ARRAY_TASK_ID";
    }

    @Override
    public boolean acceptsIdLists() {
        return true;
    }

    @Override
    public String location() {
        return "Slurm job ${SLURM_ARRAY_JOB_ID:-?}_$id on $(uname -n)";
    }

    @Override
    public String taskName(ArrayTask task) {
        return task.index() < 0 ? task.jobId() : task.jobId() + "_" + task.index();
    }

    @Override
    public List<String> directives() {
        return directives;
    }

    @Override
    public List<String> submitCommand(Submission s) {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable", "--array=" + s.idList(),
                "--job-name=" + s.jobName(), "--output=" + slurmOutputPath(s.outputPattern()), "--chdir=" + s.directory()));
        addIf(cmd, "--partition=", partition);
        addIf(cmd, "--time=", time);
        addIf(cmd, "--mem=", memory);
        addIf(cmd, "--account=", account);
        if (s.cores() > 1) { // workers with several task slots: the cores for them
            cmd.add("--cpus-per-task=" + s.cores());
        }
        cmd.addAll(s.options());
        cmd.add(s.script().toString());
        return cmd;
    }

    /**
     * @param pattern the worker output pattern, {@code %d} = worker id
     * @return the pattern in Slurm's file name syntax: {@code %d} becomes {@code %a} (the array task id),
     *     every other {@code %} is doubled
     */
    static String slurmOutputPath(String pattern) {
        return pattern.replace("%", "%%").replace("%%d", "%a");
    }

    @Override
    public String parseJobId(String stdout) {
        return Long.toString(SbatchParser.parse(stdout).jobId());
    }

    @Override
    public List<String> statusCommand(Collection<String> jobIds) {
        return List.of("squeue", "-h", "-r", "-t", "all", "-j", String.join(",", jobIds), "-o", SQUEUE_FORMAT);
    }

    @Override
    public Map<ArrayTask, TaskState> parseStatus(CommandRunner.Result r) {
        if (r.exitCode() != 0) {
            if (r.stderr().contains("Invalid job id specified")) {
                return Map.of(); // every job asked about has been purged from slurmctld's memory
            }
            throw new IllegalStateException("failed with exit code " + r.exitCode() + ": " + r.both());
        }
        Map<ArrayTask, TaskState> out = new LinkedHashMap<>();
        SqueueParser.parse(r.stdout()).forEach((t, e) -> out.put(t, state(t, e.state(), e.reason(), -1)));
        return out;
    }

    @Override
    public List<String> historyCommand(String jobId) {
        return history ? List.of("sacct", "-n", "-P", "-X", "-j", jobId, "-o", "JobID,State,ExitCode,Reason") : List.of();
    }

    @Override
    public Map<ArrayTask, TaskState> parseHistory(CommandRunner.Result r) {
        if (r.both().contains("accounting storage is disabled")) {
            throw new UnsupportedOperationException("Slurm keeps no accounting: the job scripts' exit codes are used");
        }
        if (r.exitCode() != 0) {
            throw new IllegalStateException("sacct exited with " + r.exitCode() + ": " + r.both());
        }
        Map<ArrayTask, TaskState> out = new LinkedHashMap<>();
        SacctParser.parse(r.stdout()).forEach((t, e) -> {
            if (SlurmJobState.of(e.state()).ended()) {
                out.put(t, state(t, e.state(), e.reason(), e.exitCode()));
            }
        });
        return out;
    }

    /** @return what a task in Slurm state {@code printed} with {@code said} reason and {@code exitCode} (or -1) is */
    private TaskState state(ArrayTask t, String printed, String said, int exitCode) {
        String reason = said.equals("None") || said.equals("(null)") ? "" : said;
        String why = reason.isEmpty() ? "" : ", reason " + reason;
        return switch (SlurmJobState.of(printed)) {
            case RUNNING -> TaskState.running();
            case WAITING -> !SlurmJobState.hopeless(printed, reason)
                    ? TaskState.pending(printed + (reason.isEmpty() ? "" : " (" + reason + ")"))
                    : TaskState.failed("is " + printed + " with reason " + said
                    + (reason.startsWith("JobHeld") || printed.equals("REQUEUE_HOLD") || reason.contains("held")
                    ? ": it is held and will not start until released (scontrol release " + t.jobId() + ")"
                    : ": Slurm will never start it as submitted; check the partition, account, time limit and extra options"));
            case COMPLETED -> TaskState.done(Math.max(exitCode, 0), "completed");
            case FAILED -> TaskState.done(exitCode, "FAILED" + why);
            case TIMEOUT -> TaskState.endedAbnormally("reached its time limit (" + printed + why
                    + "); raise it with jparallel.slurm.time (SlurmOptions.time)");
            case OUT_OF_MEMORY -> TaskState.endedAbnormally("ran out of memory (" + printed + why
                    + "); ask for more with jparallel.slurm.memory (SlurmOptions.memory)");
            case CANCELLED -> TaskState.endedAbnormally("was cancelled outside this manager (" + printed + why + ")");
            case OTHER_END -> TaskState.endedAbnormally("ended in state " + printed + why);
        };
    }

    @Override
    public List<String> cancelCommand(Map<String, List<Integer>> tasksByJob) {
        List<String> cmd = new ArrayList<>(List.of("scancel"));
        tasksByJob.forEach((job, ids) -> {
            String list = TaskIdRanges.format(ids);
            cmd.add(ids.contains(-1) ? job : job + "_" + (list.matches("\\d+") ? list : "[" + list + "]"));
        });
        return cmd;
    }

    private static void addIf(List<String> cmd, String option, String value) {
        if (value != null) {
            cmd.add(option + value);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
