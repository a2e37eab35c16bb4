/** The {@code jparallel} command: demo, worker, doctor, config (issue 10). */
package org.jparallel.cli;
