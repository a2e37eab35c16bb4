package org.jparallel;

/**
 * A configuration that cannot be used: an unknown key, a bad value, a missing required key, a
 * backend that is not on the classpath. Thrown before anything is started; the message names the
 * key, the value, where it came from and what is expected.
 */
public class ConfigurationException extends JParallelException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and how to fix it */
    public ConfigurationException(String message) {
        super(message);
    }
}
