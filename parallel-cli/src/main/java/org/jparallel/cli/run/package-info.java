/**
 * {@code jparallel run} and {@code jparallel log}: shell commands farmed out to workers as tasks, their output
 * gathered into one log per run. Task lists ({@link org.jparallel.cli.run.TaskSpec}) come from an array, the lines
 * of a file or a JSON-lines file; each task has a stable key, so a journal can later tell which have run.
 */
package org.jparallel.cli.run;
