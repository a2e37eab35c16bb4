package com.example.primes;

import java.io.Serializable;

/**
 * One task's result: how many primes lie in one block of numbers, and which worker counted them.
 *
 * @param from the block's first number
 * @param to one past the block's last number
 * @param primes how many primes lie in {@code [from, to)}
 * @param workerPid the process id of the worker JVM that ran the task
 */
public record BlockCount(int from, int to, int primes, long workerPid) implements Serializable {
}
