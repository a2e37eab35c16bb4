/**
 * The Grid Engine backend (qsub job arrays, DRMAA, parallel-environment workers). A skeleton for
 * now: the implementation is tracked in issue 5 and will plug into the core through {@link
 * org.jparallel.spi.WorkerBackend} like the local backend does.
 */
package org.jparallel.sge;
