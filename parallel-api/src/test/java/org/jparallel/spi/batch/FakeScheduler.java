package org.jparallel.spi.batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jparallel.spi.CommandRunner;

/**
 * A scheduler for the kit's unit tests, with the simplest formats: {@code sub} prints the job id, {@code
 * stat} prints lines {@code JOB INDEX PHASE [CODE] [DETAIL...]}, {@code del} takes {@code JOB:IDS}.
 */
class FakeScheduler implements BatchScheduler {
    boolean lists = true;

    @Override
    public String product() {
        return "Fake";
    }

    @Override
    public List<String> tools() {
        return List.of("sub", "stat", "del");
    }

    @Override
    public String taskIdVariable() {
        return "FAKE_INDEX";
    }

    @Override
    public boolean acceptsIdLists() {
        return lists;
    }

    @Override
    public List<String> submitCommand(Submission s) {
        return List.of("sub", "--ids=" + s.idList(), "--name=" + s.jobName(), "--out=" + s.outputPath("%I"),
                s.script().toString());
    }

    @Override
    public String parseJobId(String stdout) {
        String id = stdout.strip();
        if (id.isEmpty()) {
            throw new IllegalArgumentException("no job id");
        }
        return id;
    }

    @Override
    public List<String> statusCommand(Collection<String> jobIds) {
        List<String> cmd = new ArrayList<>(List.of("stat"));
        cmd.addAll(jobIds);
        return cmd;
    }

    @Override
    public Map<ArrayTask, TaskState> parseStatus(CommandRunner.Result r) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException("stat failed: " + r.both());
        }
        Map<ArrayTask, TaskState> out = new LinkedHashMap<>();
        for (String line : r.stdout().split("\n")) {
            String[] f = line.strip().split(" ", 5);
            if (f.length < 3) {
                continue;
            }
            ArrayTask t = new ArrayTask(f[0], Integer.parseInt(f[1]));
            String detail = f.length > 4 ? f[4] : "";
            out.put(t, switch (f[2]) {
                case "PENDING" -> TaskState.pending(detail);
                case "RUNNING" -> TaskState.running();
                case "DONE" -> TaskState.done(Integer.parseInt(f[3]), detail);
                case "ENDED" -> TaskState.endedAbnormally(detail);
                default -> TaskState.failed(detail);
            });
        }
        return out;
    }

    @Override
    public List<String> cancelCommand(Map<String, List<Integer>> tasksByJob) {
        List<String> cmd = new ArrayList<>(List.of("del"));
        tasksByJob.forEach((job, ids) -> cmd.add(job + ":" + org.jparallel.spi.TaskIdRanges.format(ids)));
        return cmd;
    }

    @Override
    public List<String> reasonCommand(ArrayTask task) {
        return List.of("why", task.jobId());
    }

    @Override
    public String parseReason(String output, ArrayTask task) {
        return output.strip();
    }
}
