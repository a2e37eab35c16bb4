/**
 * The Slurm backend: workers as the tasks of an {@code sbatch --array} job. Built only on
 * parallel-api, as an outside author would build a backend: {@link org.jparallel.slurm.SlurmScheduler}
 * on the batch-scheduler kit ({@code org.jparallel.spi.batch}).
 */
package org.jparallel.slurm;
