/**
 * The Grid Engine backend ({@code jparallel.backend=sge}): workers as the tasks of one array job
 * submitted with {@code qsub} or DRMAA ({@link org.jparallel.sge.SgeQsubWorkerArray}, configured by
 * {@link org.jparallel.sge.SgeBackend}), and workers on the slots of a parallel-environment job
 * ({@link org.jparallel.sge.SgePeWorkerArray}). See docs/backend-sge.md.
 */
package org.jparallel.sge;
