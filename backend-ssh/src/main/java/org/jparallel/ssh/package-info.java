/**
 * The SSH backend (workers started on remote hosts through JSch). A skeleton for now: the
 * implementation is tracked in issue 6 and will plug into the core through {@link
 * org.jparallel.spi.WorkerBackend} like the local backend does.
 */
package org.jparallel.ssh;
