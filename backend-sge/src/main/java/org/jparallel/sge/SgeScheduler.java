package org.jparallel.sge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jparallel.spi.CommandRunner;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.TaskIdRanges;
import org.jparallel.spi.batch.ArrayTask;
import org.jparallel.spi.batch.BatchScheduler;
import org.jparallel.spi.batch.Submission;
import org.jparallel.spi.batch.TaskState;

/**
 * Grid Engine as a {@link BatchScheduler}: {@code qsub -terse -t FIRST-LAST} array jobs (one range per
 * job), whose tasks read their index from {@code SGE_TASK_ID} and write {@code -o} files with
 * {@code $TASK_ID} in place of {@code %d}; one {@code qstat -xml -u USER} for every job (XML, because the
 * column text moves with id and name widths); a task in an error state ({@code Eqw}) fails with Grid
 * Engine's reason from {@code qstat -j JOB}; one {@code qdel JOB.5-8 JOB.10 ...} for many tasks. Holds
 * the settings particular to Grid Engine: queue, resources and parallel environment.
 */
public final class SgeScheduler implements BatchScheduler {
    /** Words of the qsub line after the tool's name and before the native options ({@link DrmaaCommands} reads them). */
    static final int FIXED_WORDS = 15;
    private static final Pattern TERSE = Pattern.compile("^(\\d+)(?:\\.(\\d+)-(\\d+):(\\d+))?$");
    private static final Pattern VERBOSE = Pattern.compile("Your job(?:-array)? (\\d+)");

    private String queue;
    private String resources;
    private String pe;
    /** The parallel environment that gives a worker with several task slots its cores on one host. */
    static final String SLOTS_PE = "smp";

    /** @param queue the queue ({@code qsub -q}), or {@code null} for the cluster's default; @return this */
    public SgeScheduler queue(String queue) {
        this.queue = blankToNull(queue);
        return this;
    }

    /** @param resources resource requests ({@code qsub -l}), e.g. {@code h_vmem=4G}, or {@code null}; @return this */
    public SgeScheduler resources(String resources) {
        this.resources = blankToNull(resources);
        return this;
    }

    /** @param pe a parallel environment and slot count ({@code qsub -pe}), e.g. {@code smp 2}, or {@code null}; @return this */
    public SgeScheduler parallelEnvironment(String pe) {
        this.pe = blankToNull(pe);
        return this;
    }

    /** @return the job name as Grid Engine accepts it: white space and {@code / : @ \ * ?} become {@code _} */
    static String jobName(String name) {
        return name.replaceAll("[\\s/:@\\\\*?]", "_");
    }

    @Override
    public String product() {
        return "Grid Engine";
    }

    @Override
    public List<String> tools() {
        return List.of("qsub", "qstat", "qdel");
    }

    @Override
    public String taskIdVariable() {
        return "SGE_TASK_ID";
    }

    @Override
    public boolean acceptsIdLists() {
        return false;
    }

    @Override
    public String location() {
        return "Grid Engine job ${JOB_ID:-?}.$id on ${HOSTNAME:-$(uname -n)}";
    }

    @Override
    public String taskName(ArrayTask task) {
        return task.index() == 0 ? task.jobId() : task.jobId() + "." + task.index();
    }

    /** {@code qsub -terse -N NAME -t FIRST-LAST -S /bin/sh -b n -j y -o OUTPUT -wd DIR [native options] SCRIPT}. */
    @Override
    public List<String> submitCommand(Submission s) {
        List<String> cmd = new ArrayList<>(List.of("qsub", "-terse", "-N", jobName(s.jobName()),
                "-t", s.first() + "-" + s.last(), "-S", "/bin/sh", "-b", "n", "-j", "y",
                "-o", s.outputPath("$TASK_ID"), "-wd", s.directory().toString()));
        cmd.addAll(nativeOptions(s));
        cmd.add(s.script().toString());
        return cmd;
    }

    /** Reads the job's {@code h_rt} (hard run time) from the resources or a {@code -l} among the user's options. */
    @Override
    public java.time.Duration walltime(List<String> userOptions) {
        java.time.Duration found = hardRunTime(resources);
        for (int i = 0; i + 1 < userOptions.size(); i++) {
            if (userOptions.get(i).equals("-l")) {
                java.time.Duration d = hardRunTime(userOptions.get(i + 1));
                found = d != null ? d : found;
            }
        }
        return found;
    }

    /** Grid Engine's hard run time, {@code -l h_rt=H:MM:SS}, rounded up to the second. */
    @Override
    public List<String> walltimeOptions(java.time.Duration walltime) {
        if (walltime.isNegative() || walltime.isZero()) {
            throw new IllegalArgumentException("a walltime must be positive, got " + walltime);
        }
        return List.of("-l", "h_rt=" + org.jparallel.spi.batch.BatchScheduler.hoursMinutesSeconds(walltime));
    }

    /** @return the {@code h_rt} of a resource list such as {@code h_vmem=4G,h_rt=1:30:00} (or seconds), or {@code null} */
    static java.time.Duration hardRunTime(String resourceList) {
        if (resourceList == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^|,)\\s*h_rt=(\\d+)(?::(\\d+))?(?::(\\d+))?")
                .matcher(resourceList);
        if (!m.find()) {
            return null;
        }
        long seconds;
        if (m.group(2) == null) {
            seconds = Long.parseLong(m.group(1));
        } else if (m.group(3) == null) {
            seconds = Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2));
        } else {
            seconds = Long.parseLong(m.group(1)) * 3600 + Long.parseLong(m.group(2)) * 60 + Long.parseLong(m.group(3));
        }
        return seconds > 0 ? java.time.Duration.ofSeconds(seconds) : null;
    }

    /** @return queue, resources, parallel environment and the user's options as qsub words (DRMAA's native specification) */
    List<String> nativeOptions(Submission s) {
        List<String> out = new ArrayList<>();
        if (queue != null) {
            out.addAll(List.of("-q", queue));
        }
        if (resources != null) {
            out.addAll(List.of("-l", resources));
        }
        if (pe != null) {
            out.add("-pe");
            out.addAll(LaunchSpec.splitWords(pe));
        } else if (s.cores() > 1) { // workers with several task slots: the cores for them, on one host
            out.addAll(List.of("-pe", SLOTS_PE, Integer.toString(s.cores())));
        }
        out.addAll(s.options());
        return out;
    }

    /** Reads {@code 123} or {@code 123.1-4:1} ({@code -terse}), or the verbose {@code Your job-array 123.1-4:1 ("n") ...}. */
    @Override
    public String parseJobId(String stdout) {
        String text = stdout == null ? "" : stdout.strip();
        for (String line : text.split("\\R")) {
            Matcher m = TERSE.matcher(line.strip());
            if (m.matches()) {
                return m.group(1);
            }
        }
        Matcher m = VERBOSE.matcher(text);
        if (m.find()) {
            return m.group(1);
        }
        throw new IllegalArgumentException("qsub printed no job id: \"" + text + "\"");
    }

    /** {@code qstat -xml -u USER}: every job of the user, so the job ids are not needed. */
    @Override
    public List<String> statusCommand(Collection<String> jobIds) {
        return List.of("qstat", "-xml", "-u", System.getProperty("user.name"));
    }

    @Override
    public Map<ArrayTask, TaskState> parseStatus(CommandRunner.Result r) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException("failed with exit code " + r.exitCode() + ": " + r.both());
        }
        Map<ArrayTask, TaskState> out = new LinkedHashMap<>();
        QstatParser.parse(r.stdout()).forEach((task, code) -> out.put(task, state(code)));
        return out;
    }

    private static TaskState state(String code) {
        return switch (SgeJobState.of(code)) {
            case PENDING -> TaskState.pending("queued (" + code + ")");
            case RUNNING -> TaskState.running();
            case SUSPENDED -> TaskState.pending("suspended (" + code + ")");
            case DELETING -> TaskState.pending("being deleted (" + code + ")");
            case ERROR -> TaskState.failed("is in state " + code);
        };
    }

    /** {@code qstat -j JOB}, whose {@code error reason} lines say why a task is in {@code Eqw}. */
    @Override
    public List<String> reasonCommand(ArrayTask task) {
        return List.of("qstat", "-j", task.jobId());
    }

    @Override
    public String parseReason(String output, ArrayTask task) {
        return QstatReasonParser.reason(output, task.index());
    }

    /** {@code qdel JOB.5-8 JOB.10 ...}, contiguous tasks of a job as one range; task 0 (not an array) as {@code JOB}. */
    @Override
    public List<String> cancelCommand(Map<String, List<Integer>> tasksByJob) {
        List<String> cmd = new ArrayList<>(List.of("qdel"));
        tasksByJob.forEach((job, ids) -> {
            if (ids.contains(0)) {
                cmd.add(job);
                return;
            }
            for (int[] r : TaskIdRanges.runs(ids)) {
                cmd.add(job + "." + (r[0] == r[1] ? Integer.toString(r[0]) : r[0] + "-" + r[1]));
            }
        });
        return cmd;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
