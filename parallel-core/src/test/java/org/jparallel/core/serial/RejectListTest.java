package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ObjectInputFilter;
import java.io.ObjectInputFilter.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-made reject-list matcher gives the JDK's pattern filter's verdicts. */
class RejectListTest {
    private static final String PATTERNS = "!java.util.*;!java.lang.invoke.**;!java.io.ObjectInputStream;!java.lang.Str*";
    private static final List<Class<?>> CLASSES = List.of(java.util.ArrayList.class,
            java.util.concurrent.ConcurrentHashMap.class, java.util.function.Function.class,
            java.lang.invoke.MethodHandle.class, java.lang.invoke.VarHandle.AccessMode.class,
            java.lang.invoke.MethodHandles.Lookup.class, java.io.ObjectInputStream.class,
            java.io.ObjectInputStream.GetField.class, java.io.ObjectOutputStream.class, String.class,
            StringBuilder.class, Integer.class, int.class, int[].class, String[][].class, java.util.HashMap[].class,
            Object[].class, RejectListTest.class);

    @Test
    void everyVerdictIsTheJdkFiltersVerdict() {
        ObjectInputFilter jdk = ObjectInputFilter.Config.createFilter(PATTERNS);
        RejectList ours = RejectList.of(PATTERNS);
        for (Class<?> c : CLASSES) {
            Status expected = jdk.checkInput(new ClassCheck(c, c.isArray() ? 1 : -1));
            assertEquals(expected, ours.verdict(c), c.getName());
        }
    }

    @Test
    void jparallelsOwnListIsReadAndRejectsAKnownGadgetPackage() throws Exception {
        RejectList list = RejectList.of(SerialFilter.REJECT_LIST);
        assertEquals(Status.UNDECIDED, list.verdict(java.util.ArrayList.class));
        assertEquals(Status.REJECTED, list.verdict(javax.management.ObjectName.class), "!javax.management.*");
        assertEquals(Status.REJECTED, list.verdict(java.rmi.RemoteException.class), "!java.rmi.*");
        assertEquals(Status.UNDECIDED, list.verdict(java.rmi.server.UID.class), "!java.rmi.* is that package only");
    }

    @Test
    void aPatternOfAnotherFormIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RejectList.of("java.util.*"));
        assertThrows(IllegalArgumentException.class, () -> RejectList.of("!java.base/*"));
        assertThrows(IllegalArgumentException.class, () -> RejectList.of("maxdepth=3"));
    }
}
