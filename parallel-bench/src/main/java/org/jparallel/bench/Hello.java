package org.jparallel.bench;

/**
 * A hello world, the JVM's own floor: the benchmark starts it the way the manager starts a local
 * worker (same java, same classpath) and compares a worker's cold start with it.
 */
public final class Hello {
    private Hello() {
    }

    /** @param args ignored */
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
