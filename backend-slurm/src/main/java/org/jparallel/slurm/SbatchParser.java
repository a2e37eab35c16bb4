package org.jparallel.slurm;

/**
 * Reads what {@code sbatch --parsable} prints: the job id, then {@code ;CLUSTER} when the job went to
 * another cluster of a federation ({@code 123} or {@code 123;cluster}). Lines before it (warnings
 * some sites print on standard output) are skipped.
 */
public final class SbatchParser {

    /**
     * A submitted job.
     *
     * @param jobId the job id, the array's {@code SLURM_ARRAY_JOB_ID}
     * @param cluster the cluster it went to, or {@code null} when sbatch did not name one
     */
    public record Submitted(long jobId, String cluster) {
    }

    private SbatchParser() {
    }

    /**
     * @param stdout sbatch's standard output
     * @return the job
     * @throws IllegalArgumentException when no line is a job id, quoting the output
     */
    public static Submitted parse(String stdout) {
        String text = stdout == null ? "" : stdout.strip();
        String[] lines = text.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            int semi = line.indexOf(';');
            String id = semi < 0 ? line : line.substring(0, semi);
            if (id.matches("\\d{1,18}")) {
                String cluster = semi < 0 ? null : line.substring(semi + 1).strip();
                return new Submitted(Long.parseLong(id), cluster == null || cluster.isEmpty() ? null : cluster);
            }
        }
        throw new IllegalArgumentException("sbatch --parsable printed no job id: \"" + text + "\"");
    }
}
