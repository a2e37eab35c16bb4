/**
 * The batch-scheduler kit: everything a backend that starts workers as the tasks of a scheduler's
 * array job needs, except what is particular to one scheduler. A scheduler implements {@link
 * org.jparallel.spi.batch.BatchScheduler} (what to run and how to read what it prints); {@link
 * org.jparallel.spi.batch.BatchWorkerGroup} does the rest: the private run directory and secret, the
 * job script, splitting ids into ranges, the throttled view of the queue, the worker handles, the
 * batched cancel, and the options every batch scheduler shares ({@link
 * org.jparallel.spi.batch.BatchOptions}, which a scheduler's options class extends) with their keys
 * ({@link org.jparallel.spi.batch.BatchKeys}). {@link org.jparallel.spi.batch.BatchBackend} is the
 * backend's shared part: name, description, keys and the doctor checks of the scheduler's tools.
 */
package org.jparallel.spi.batch;
