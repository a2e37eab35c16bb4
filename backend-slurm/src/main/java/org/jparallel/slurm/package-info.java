/**
 * The Slurm backend: workers as the tasks of an {@code sbatch --array} job. Built only on
 * parallel-api's SPI, as an outside author would build a backend (issue 9).
 */
package org.jparallel.slurm;
