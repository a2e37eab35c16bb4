package org.jparallel.tests.batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jparallel.spi.CommandRunner;
import org.jparallel.spi.TaskIdRanges;
import org.jparallel.spi.batch.ArrayTask;
import org.jparallel.spi.batch.BatchScheduler;
import org.jparallel.spi.batch.Submission;
import org.jparallel.spi.batch.TaskState;

/**
 * PBS Professional as a {@link BatchScheduler}, written against the batch kit alone: {@code qsub -J
 * FIRST-LAST} array jobs (PBS takes one range per job), whose subjobs read their index from {@code
 * PBS_ARRAY_INDEX}; {@code qsub} prints {@code 123[].server}; one {@code qstat -f -x -t -F dsv} for
 * every job, one line per job or subjob ({@code Job Id: 123[4].server|job_state=R|...}); one {@code
 * qdel} naming subjob ranges ({@code 123[1-3].server}). A held subjob ({@code H}) never runs by itself:
 * it fails its worker at once with PBS's comment.
 */
public final class PbsScheduler implements BatchScheduler {
    private static final Pattern JOB_ID = Pattern.compile("^(\\d+)\\[\\](\\.\\S+)?$");
    private static final Pattern SUBJOB_ID = Pattern.compile("^(\\d+)\\[(\\d+)\\](\\.\\S+)?$");

    private static final Pattern WALLTIME = Pattern.compile("(?:^|,)walltime=(\\d+):(\\d+):(\\d+)");

    private String queue;

    /** @param queue the queue the jobs go to ({@code qsub -q}), or {@code null} for the server's default; @return this */
    public PbsScheduler queue(String queue) {
        this.queue = queue;
        return this;
    }

    @Override
    public String product() {
        return "PBS";
    }

    @Override
    public List<String> tools() {
        return List.of("qsub", "qstat", "qdel");
    }

    @Override
    public String taskIdVariable() {
        return "PBS_ARRAY_INDEX";
    }

    @Override
    public boolean acceptsIdLists() {
        return false;
    }

    @Override
    public String location() {
        return "PBS job ${PBS_JOBID:-?} on $(uname -n)";
    }

    /** PBS's {@code -l walltime=HH:MM:SS}. */
    @Override
    public List<String> walltimeOptions(java.time.Duration walltime) {
        String hms = BatchScheduler.hoursMinutesSeconds(walltime);
        return List.of("-l", "walltime=" + (hms.indexOf(':') == 1 ? "0" + hms : hms));
    }

    /** Reads the last {@code -l walltime=HH:MM:SS} among the user's options. */
    @Override
    public java.time.Duration walltime(List<String> userOptions) {
        java.time.Duration found = null;
        for (int i = 0; i + 1 < userOptions.size(); i++) {
            Matcher m = WALLTIME.matcher(userOptions.get(i + 1));
            if (userOptions.get(i).equals("-l") && m.find()) {
                found = java.time.Duration.ofSeconds(Long.parseLong(m.group(1)) * 3600 + Long.parseLong(m.group(2)) * 60
                        + Long.parseLong(m.group(3)));
            }
        }
        return found;
    }

    @Override
    public String taskName(ArrayTask task) {
        return task.jobId().replace("[]", "[" + task.index() + "]");
    }

    @Override
    public List<String> submitCommand(Submission s) {
        List<String> cmd = new ArrayList<>(List.of("qsub", "-J", s.first() + "-" + s.last(), "-N", s.jobName(),
                "-j", "oe", "-o", s.outputPath("^array_index^")));
        if (queue != null) {
            cmd.addAll(List.of("-q", queue));
        }
        cmd.addAll(s.options());
        cmd.add(s.script().toString());
        return cmd;
    }

    @Override
    public String parseJobId(String stdout) {
        for (String line : stdout.strip().split("\\R")) {
            if (JOB_ID.matcher(line.strip()).matches()) {
                return line.strip();
            }
        }
        throw new IllegalArgumentException("qsub printed no array job id (NUMBER[].SERVER): \"" + stdout.strip() + "\"");
    }

    @Override
    public List<String> statusCommand(Collection<String> jobIds) {
        List<String> cmd = new ArrayList<>(List.of("qstat", "-f", "-x", "-t", "-F", "dsv"));
        cmd.addAll(jobIds);
        return cmd;
    }

    @Override
    public Map<ArrayTask, TaskState> parseStatus(CommandRunner.Result r) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException("qstat exited with " + r.exitCode() + ": " + r.both());
        }
        Map<ArrayTask, TaskState> out = new LinkedHashMap<>();
        for (String line : r.stdout().split("\\R")) {
            Map<String, String> a = attributes(line);
            Matcher m = SUBJOB_ID.matcher(a.getOrDefault("Job Id", ""));
            if (m.matches()) { // the array's own line (123[].server) says nothing of one worker
                String job = m.group(1) + "[]" + (m.group(3) == null ? "" : m.group(3));
                out.put(new ArrayTask(job, Integer.parseInt(m.group(2))), state(a));
            }
        }
        return out;
    }

    /** @return the fields of one {@code -F dsv} line: {@code Job Id: X|name=value|...} */
    private static Map<String, String> attributes(String line) {
        Map<String, String> a = new HashMap<>();
        for (String field : line.strip().split("\\|")) {
            if (field.startsWith("Job Id:")) {
                a.put("Job Id", field.substring("Job Id:".length()).strip());
            } else if (field.indexOf('=') > 0) {
                a.put(field.substring(0, field.indexOf('=')).strip(), field.substring(field.indexOf('=') + 1).strip());
            }
        }
        return a;
    }

    private static TaskState state(Map<String, String> a) {
        String s = a.getOrDefault("job_state", "");
        String comment = a.getOrDefault("comment", "");
        return switch (s) {
            case "R", "E", "B" -> TaskState.running();
            case "H" -> TaskState.failed("is held (H)" + (comment.isEmpty() ? "" : ": " + comment)
                    + "; it will not run until released (qrls)");
            case "X", "F" -> TaskState.done(Integer.parseInt(a.getOrDefault("Exit_status", "-1")), "finished (" + s + ")");
            default -> TaskState.pending("queued (" + s + ")" + (comment.isEmpty() ? "" : ": " + comment));
        };
    }

    @Override
    public List<String> cancelCommand(Map<String, List<Integer>> tasksByJob) {
        List<String> cmd = new ArrayList<>(List.of("qdel"));
        tasksByJob.forEach((job, ids) -> {
            for (int[] r : TaskIdRanges.runs(ids)) {
                cmd.add(job.replace("[]", "[" + (r[0] == r[1] ? "" + r[0] : r[0] + "-" + r[1]) + "]"));
            }
        });
        return cmd;
    }
}
