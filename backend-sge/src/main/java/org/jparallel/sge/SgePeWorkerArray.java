package org.jparallel.sge;

import org.jparallel.spi.RunDirectory;
import org.jparallel.spi.ShellWords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jparallel.spi.LaunchSpec;
import org.jparallel.spi.WorkerGroup;
import org.jparallel.spi.WorkerHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers on the slots of the parallel-environment job the manager runs in, the Java counterpart of
 * IMP.parallel's {@code SGEPEWorkerArray}: submit the manager with {@code qsub -pe NAME SLOTS}, and this
 * group starts one worker per slot listed in {@code $PE_HOSTFILE}. The first slot is the manager's own,
 * which Grid Engine does not let {@code qrsh -inherit} use, so that worker is a child process of the
 * manager; every other slot gets {@code qrsh -inherit HOST COMMAND}. Every worker reads the secret from
 * a 0600 file in a private directory under the secret directory (shared with the hosts): never from its
 * environment, which the processes its tasks start would inherit. A replacement worker (an id not seen before) goes to
 * the hosts of the other slots in turn.
 */
public final class SgePeWorkerArray implements WorkerGroup {
    private static final Logger LOG = LoggerFactory.getLogger(SgePeWorkerArray.class);

    private final List<String> slots;
    private final SgeOptions options;
    private final String qrsh;
    private final ProcessStarter starter;
    private final Map<Integer, Integer> slotOfWorker = new HashMap<>();
    private int nextReplacementSlot = 1;

    /**
     * Reads {@code $PE_HOSTFILE}.
     *
     * @param options java command, JVM options, output, secret directory; queue and resources are ignored
     * @throws IOException when {@code $PE_HOSTFILE} is not set or cannot be read
     */
    public SgePeWorkerArray(SgeOptions options) throws IOException {
        this(hostfileFromEnvironment(), options, "qrsh", ProcessStarter.system());
    }

    /**
     * @param hostfile the parallel environment's host file
     * @param options java command, JVM options, output, secret directory
     * @param qrshCommand the qrsh command, e.g. {@code qrsh}
     */
    public SgePeWorkerArray(PeHostfile hostfile, SgeOptions options, String qrshCommand) {
        this(hostfile, options, qrshCommand, ProcessStarter.system());
    }

    SgePeWorkerArray(PeHostfile hostfile, SgeOptions options, String qrshCommand, ProcessStarter starter) {
        this.slots = hostfile.slots();
        if (slots.isEmpty()) {
            throw new IllegalArgumentException("the PE host file lists no slot");
        }
        this.options = Objects.requireNonNull(options, "options");
        this.qrsh = Objects.requireNonNull(qrshCommand, "qrshCommand");
        this.starter = starter;
    }

    private static PeHostfile hostfileFromEnvironment() throws IOException {
        String f = System.getenv("PE_HOSTFILE");
        if (f == null || f.isBlank() || !Files.isReadable(Path.of(f))) {
            throw new IOException("PE_HOSTFILE is " + (f == null ? "not set" : "\"" + f + "\", not a readable file")
                    + ": SgePeWorkerArray works only in a manager submitted with qsub -pe NAME SLOTS");
        }
        return PeHostfile.read(Path.of(f));
    }

    @Override
    public int size() {
        return slots.size();
    }

    @Override
    public String backendName() {
        return SgeBackend.NAME;
    }

    @Override
    public List<WorkerHandle> start(LaunchSpec spec) throws Exception {
        LaunchSpec s = options.applyTo(spec);
        RunDirectory run = RunDirectory.create(options.secretDirOrDefault(), s);
        AtomicInteger live = new AtomicInteger(s.workerIds().size());
        Runnable stopped = () -> {
            if (live.decrementAndGet() == 0) {
                run.delete(); // and the secret in it, after the last worker
            }
        };
        List<WorkerHandle> out = new ArrayList<>();
        for (int id : s.workerIds()) {
            int slot = slotFor(id);
            out.add(startOne(s, run, stopped, id, slot));
        }
        return out;
    }

    private synchronized int slotFor(int id) {
        Integer known = slotOfWorker.get(id);
        if (known != null) {
            return known;
        }
        int slot;
        if (slotOfWorker.size() < slots.size()) {
            slot = slotOfWorker.size();
        } else {
            slot = slots.size() == 1 ? 0 : nextReplacementSlot;
            nextReplacementSlot = nextReplacementSlot + 1 >= slots.size() ? 1 : nextReplacementSlot + 1;
        }
        slotOfWorker.put(id, slot);
        return slot;
    }

    /** @return the command that starts worker {@code id} in slot {@code slot} (package-private for tests) */
    List<String> command(LaunchSpec s, RunDirectory run, int id, int slot) {
        if (slot == 0) {
            return s.commandLine(id, true, "--secret-file", run.secretFile().toString());
        }
        List<String> worker = s.commandLine(id, false, "--secret-file", run.secretFile().toString());
        List<String> cmd = new ArrayList<>(LaunchSpec.splitWords(qrsh));
        cmd.add("-inherit");
        cmd.add("-nostdin");
        cmd.add(slots.get(slot));
        for (String w : worker) {
            cmd.add(ShellWords.quote(w)); // qrsh -inherit joins its arguments and runs them with the shell
        }
        return cmd;
    }

    private WorkerHandle startOne(LaunchSpec s, RunDirectory run, Runnable stopped, int id, int slot) {
        Path output = s.outputFile(id).toAbsolutePath();
        String where = slot == 0 ? "local, manager's slot" : "qrsh -inherit " + slots.get(slot);
        List<String> cmd = command(s, run, id, slot);
        Map<String, String> env = Map.of(); // the secret file, not the environment its tasks' processes inherit
        try {
            LOG.debug("starting PE worker {} ({}): {}", id, where, cmd);
            Process p = starter.start(cmd, env, output);
            return new PeWorkerHandle(id, where, p, null, output, stopped);
        } catch (IOException | RuntimeException e) {
            String reason = "cannot run " + cmd.get(0) + " for worker " + id + " (" + where + "): " + e.getMessage();
            LOG.warn("{}", reason);
            return new PeWorkerHandle(id, where, null, reason, output, stopped);
        }
    }
}
