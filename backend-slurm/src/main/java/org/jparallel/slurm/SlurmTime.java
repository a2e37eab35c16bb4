package org.jparallel.slurm;

import java.time.Duration;

/**
 * Reads a Slurm time limit ({@code sbatch --time}) as a duration: {@code MINUTES}, {@code MM:SS},
 * {@code HH:MM:SS}, {@code D-HH}, {@code D-HH:MM} or {@code D-HH:MM:SS}, so that workers learn how long
 * their job may run.
 */
final class SlurmTime {
    private SlurmTime() {
    }

    /** @return the limit, or {@code null} for none, {@code UNLIMITED}/{@code INFINITE} or a form Slurm does not read */
    static Duration parse(String limit) {
        if (limit == null || limit.isBlank()) {
            return null;
        }
        String t = limit.trim();
        long days = 0;
        int dash = t.indexOf('-');
        try {
            if (dash >= 0) {
                days = Long.parseLong(t.substring(0, dash));
                String[] p = t.substring(dash + 1).split(":");
                long h = Long.parseLong(p[0]);
                long m = p.length > 1 ? Long.parseLong(p[1]) : 0;
                long s = p.length > 2 ? Long.parseLong(p[2]) : 0;
                return positive(((days * 24 + h) * 60 + m) * 60 + s);
            }
            String[] p = t.split(":");
            return switch (p.length) {
                case 1 -> positive(Long.parseLong(p[0]) * 60);
                case 2 -> positive(Long.parseLong(p[0]) * 60 + Long.parseLong(p[1]));
                case 3 -> positive((Long.parseLong(p[0]) * 60 + Long.parseLong(p[1])) * 60 + Long.parseLong(p[2]));
                default -> null;
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Duration positive(long seconds) {
        return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    }
}
