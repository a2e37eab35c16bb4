package org.jparallel.local;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in worker for the class sharing tests: a real JVM that loads a class of its own from a
 * jar, says so, and exits with the code in {@code -Dprobe.exit} (default 0), or, with
 * {@code -Dprobe.wait=true}, waits until it is stopped.
 *
 * <p>Given {@code --class-list-to FILE} it stands in for the class sharing trainer instead, as {@link
 * ArchiveTraining} starts it: it starts itself as the worker, with the {@code --worker-jvm-option}s and {@code
 * -XX:DumpLoadedClassList=FILE}, its output in this JVM's, and exits with that worker's exit code (9 when this
 * JVM got JVM options itself: they are the worker's); its arguments go to the file {@code PROBE_ARGS_FILE} names
 * in its environment, when it does.
 */
public final class ArchiveProbeMain {
    private ArchiveProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> workerOptions = new ArrayList<>();
        String classList = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(ArchiveTraining.CLASS_LIST_TO)) {
                classList = args[++i];
            } else if (args[i].equals(ArchiveTraining.WORKER_JVM_OPTION)) {
                workerOptions.add(args[++i]);
            }
        }
        if (classList != null) {
            String argsFile = System.getenv("PROBE_ARGS_FILE");
            if (argsFile != null) {
                java.nio.file.Files.write(Path.of(argsFile), List.of(args));
            }
            List<String> own = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
            if (!own.isEmpty()) {
                System.out.println("the trainer's JVM got options meant for its worker: " + own);
                System.exit(9);
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(workerOptions);
            command.addAll(List.of("-XX:DumpLoadedClassList=" + classList, "-cp",
                    System.getProperty("java.class.path"), ArchiveProbeMain.class.getName()));
            Process worker = new ProcessBuilder(command).inheritIO().redirectInput(new File("/dev/null")).start();
            System.exit(worker.waitFor());
        }
        System.out.println("probe ran");
        if (Boolean.getBoolean("probe.wait")) {
            Thread.sleep(60_000);
        }
        System.exit(Integer.getInteger("probe.exit", 0));
    }
}
