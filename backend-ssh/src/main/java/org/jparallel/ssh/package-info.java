/**
 * The SSH backend: worker JVMs started on other machines over SSH with JSch. {@link
 * org.jparallel.ssh.SshWorker} is the group users add in code; {@link org.jparallel.ssh.SshBackend}
 * makes one from the {@code jparallel.ssh.*} keys. See {@code docs/backend-ssh.md}.
 */
package org.jparallel.ssh;
