package org.jparallel.sge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Starts a process with its output going to a file; replaced in tests to check the commands built. */
interface ProcessStarter {
    /**
     * @param command the command words
     * @param environment variables added to the process's environment
     * @param output the file standard output and error go to (overwritten)
     * @return the process, its standard input closed
     * @throws IOException when it cannot start
     */
    Process start(List<String> command, Map<String, String> environment, Path output) throws IOException;

    /** @return the starter that starts real processes */
    static ProcessStarter system() {
        return (command, environment, output) -> {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(output.toFile())
                    .redirectErrorStream(true);
            pb.environment().putAll(environment);
            Process p = pb.start();
            p.getOutputStream().close();
            return p;
        };
    }
}
