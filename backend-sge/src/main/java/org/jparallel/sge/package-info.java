/**
 * The Grid Engine backend ({@code jparallel.backend=sge}): workers as the tasks of array jobs
 * submitted with {@code qsub} or DRMAA ({@link org.jparallel.sge.SgeQsubWorkerArray}, the batch kit's
 * group for the {@link org.jparallel.sge.SgeScheduler}, configured by {@link org.jparallel.sge.SgeBackend}),
 * and workers on the slots of a parallel-environment job
 * ({@link org.jparallel.sge.SgePeWorkerArray}). See docs/backend-sge.md.
 */
package org.jparallel.sge;
