package org.jparallel.spi;

/**
 * The names the local backend and parallel-core share for the workers' class data sharing archive, spelled once:
 * the backend compiles against the API alone, and starts core's trainer by name. The trainer's main class, its
 * arguments and the exit code it ends with when its starter went away; and the classes a worker's class list names
 * once the worker has sent a result (only such a list makes a good archive). parallel-core's tests check each name
 * against the class it names.
 */
public final class ClassSharingTraining {
    /** The training JVM's main class (parallel-core). */
    public static final String MAIN_CLASS = "org.jparallel.core.worker.ClassSharingTrainer";
    /** Its argument telling it to exit when its standard input closes. */
    public static final String EXIT_WHEN_STDIN_CLOSES = "--exit-when-stdin-closes";
    /** Its argument telling it to train with TLS, for workers of a manager that runs TLS. */
    public static final String TLS = "--tls";
    /** Its argument naming the file where its worker lists the classes it loads. */
    public static final String CLASS_LIST_TO = "--class-list-to";
    /** Its argument giving its worker's task slots. */
    public static final String WORKER_SLOTS = "--worker-slots";
    /** Its argument giving one JVM option of its worker's. */
    public static final String WORKER_JVM_OPTION = "--worker-jvm-option";
    /** Its exit code (and a worker's) when its standard input closed: its starter's JVM ended. */
    public static final int EXIT_STARTER_GONE = 5;
    /** jparallel's worker main class (parallel-core). */
    public static final String WORKER_MAIN_CLASS = "org.jparallel.core.worker.WorkerMain";
    /** A class jparallel's worker loads when it sends its first result (parallel-core). */
    public static final String FIRST_RESULT_CLASS = "org.jparallel.core.protocol.Message$Result";

    private ClassSharingTraining() {
    }
}
