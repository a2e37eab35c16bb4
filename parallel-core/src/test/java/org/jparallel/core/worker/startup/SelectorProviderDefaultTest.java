package org.jparallel.core.worker.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import org.jparallel.testjvm.FreshJvm;
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
        FreshJvm.Output out = FreshJvm.run(SelectorProviderDefaultTest.class, "apply");
        assertTrue(out.text().contains("provider " + SelectorProviderDefault.LINUX_PROVIDER), out.text());
        assertFalse(out.loaded("java.util.ServiceLoader"), "a service lookup ran");
    }

    @Test
    void withoutItTheJdkLooksForAProviderOnTheClasspath() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        FreshJvm.Output out = FreshJvm.run(SelectorProviderDefaultTest.class, "none");
        assertTrue(out.text().contains("provider " + SelectorProviderDefault.LINUX_PROVIDER), out.text());
        assertTrue(out.loaded("java.util.ServiceLoader"), "no service lookup: the default's reason is gone");
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
}
