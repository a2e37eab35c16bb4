package org.jparallel.spi;

import java.util.List;

/**
 * A way to start workers, found by name through {@link java.util.ServiceLoader}: a backend module
 * ships one implementation and a {@code META-INF/services/org.jparallel.spi.WorkerBackend} file
 * naming it. The core never learns more about a worker's origin than its {@link WorkerHandle}.
 */
public interface WorkerBackend {

    /** @return the name configuration uses to choose this backend, e.g. {@code local}, {@code sge} */
    String name();

    /** @return one line saying what this backend starts */
    String description();

    /** @return every key this backend reads, without the {@code jparallel.<name>.} prefix */
    List<ConfigKey<?>> configKeys();

    /**
     * Makes a group of workers from configuration.
     *
     * @param count how many workers
     * @param settings the group's values of this backend's keys, already validated against {@link
     *     #configKeys()}; read them with {@link BackendSettings#get(ConfigKey)}
     * @return the group, not yet started
     */
    WorkerGroup createGroup(int count, BackendSettings settings);

    /**
     * The checks {@code jparallel doctor} runs for a group of this backend, after the configuration
     * is found valid and before a probe worker is started: what can be known without starting a
     * worker (commands on the PATH, hosts that answer). Building the list should be quick and do no I/O;
     * the work belongs in {@link DoctorCheck#run()}. A failed check keeps doctor from starting the
     * group's probe worker.
     *
     * @param context the group, its settings and how its keys are written
     * @return the checks, in the order to run them; none by default
     */
    default List<DoctorCheck> doctorChecks(DoctorContext context) {
        return List.of();
    }
}
