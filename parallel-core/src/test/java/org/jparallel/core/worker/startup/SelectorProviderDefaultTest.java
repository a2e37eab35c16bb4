package org.jparallel.core.worker.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker's first socket channel and selector look for no selector provider on the classpath (a service
 * lookup that opens every jar), and get the provider the JDK would have chosen. Checked in fresh JVMs.
 */
class SelectorProviderDefaultTest {
    /** @param args {@code apply} to name the provider first, {@code none} not to */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("apply")) {
            SelectorProviderDefault.apply();
        }
        SocketChannel.open().close();
        Selector.open().close();
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
    }

    @Test
    void theFirstChannelLooksUpNoServiceAndGetsTheJdksProvider() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        String out = run("apply");
        assertTrue(out.contains("provider " + SelectorProviderDefault.LINUX_PROVIDER), out);
        assertFalse(out.contains("java.util.ServiceLoader "), "a service lookup ran");
    }

    @Test
    void withoutItTheJdkLooksForAProviderOnTheClasspath() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        String out = run("none");
        assertTrue(out.contains("provider " + SelectorProviderDefault.LINUX_PROVIDER), out);
        assertTrue(out.contains("java.util.ServiceLoader "), "no service lookup: the default's reason is gone");
    }

    @Test
    void aProviderNamedOnTheCommandLineStays() {
        String before = System.getProperty(SelectorProviderDefault.PROPERTY);
        try {
            System.setProperty(SelectorProviderDefault.PROPERTY, "com.example.Provider");
            SelectorProviderDefault.apply();
            assertEquals("com.example.Provider", System.getProperty(SelectorProviderDefault.PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(SelectorProviderDefault.PROPERTY);
            } else {
                System.setProperty(SelectorProviderDefault.PROPERTY, before);
            }
        }
    }

    private static String run(String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xshare:auto", "-Xlog:class+load=info", "-cp",
                System.getProperty("java.class.path"), SelectorProviderDefaultTest.class.getName(), mode)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
