/**
 * Automatic allocation: a pure policy ({@link org.jparallel.core.alloc.AllocationPolicy}) that decides,
 * from a snapshot of one worker group, how many workers to submit and which idle ones to release, and
 * the {@link org.jparallel.core.alloc.Allocator} that feeds it snapshots on the manager's loop, carries
 * out its decisions and keeps the last of them.
 */
package org.jparallel.core.alloc;
