package org.jparallel.core.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javax.management.BadAttributeValueExpException;
import org.jparallel.Task;
import org.junit.jupiter.api.Test;

/** The class filter on payloads: the user's pattern, the reject-list, the error that names class and key. */
class SerialFilterTest {
    private final ClassLoader loader = getClass().getClassLoader();

    /** A user class for the filter to refuse. */
    static final class Secretive implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void theDefaultAllowsLambdasUserClassesAndJdkTypes() throws Exception {
        List<Object> values = new ArrayList<>(List.of("x", 1, new int[] {1}, new Secretive()));
        Object back = Payloads.deserialize(Payloads.serialize(values), loader, SerialFilter.defaults());
        assertEquals(4, ((List<?>) back).size());
        int k = 3;
        Task<Integer, Integer> t = s -> s + k;
        @SuppressWarnings("unchecked")
        Task<Integer, Integer> tb = (Task<Integer, Integer>) Payloads.deserialize(Payloads.serialize(t), loader,
                SerialFilter.of("org.jparallel.**;java.base/*;!*"));
        assertEquals(5, tb.run(2));
    }

    @Test
    void aUserPatternRejectsAClassWithAMessageNamingItAndTheKey() {
        byte[] data = Payloads.serialize(new ArrayList<>(List.of(new Secretive())));
        RejectedClassException e = assertThrows(RejectedClassException.class,
                () -> Payloads.deserialize(data, loader, SerialFilter.of("!" + Secretive.class.getName())));
        assertTrue(e.getMessage().contains(Secretive.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(SerialFilter.KEY), e.getMessage());
    }

    @Test
    void theRejectListRefusesKnownGadgetClassesUnlessTheUserAllowsThem() throws Exception {
        byte[] data = Payloads.serialize(new BadAttributeValueExpException("x"));
        RejectedClassException e = assertThrows(RejectedClassException.class,
                () -> Payloads.deserialize(data, loader, SerialFilter.defaults()));
        assertTrue(e.getMessage().contains("javax.management.BadAttributeValueExpException"), e.getMessage());
        assertTrue(e.getMessage().contains("reject-list"), e.getMessage());
        Payloads.deserialize(data, loader, SerialFilter.of("javax.management.BadAttributeValueExpException"));
    }

    @Test
    void aBadPatternIsRefusedWhenMade() {
        assertThrows(IllegalArgumentException.class, () -> SerialFilter.of("maxdepth=x"));
    }
}
