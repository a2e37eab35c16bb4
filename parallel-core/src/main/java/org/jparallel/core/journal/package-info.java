/**
 * The manager's durable result journal: an append-only file of checksummed records naming each keyed
 * task's result, final failure and delivery, read back when the program runs again so that finished
 * tasks are not run again. The format and flush policy are described in {@link org.jparallel.core.journal.JournalFormat}.
 */
package org.jparallel.core.journal;
