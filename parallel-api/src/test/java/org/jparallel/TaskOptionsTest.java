package org.jparallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskOptionsTest {

    @Test
    void noneSetsNothing() {
        assertNull(TaskOptions.none().timeout());
    }

    @Test
    void withTimeoutReturnsACopyAndLeavesTheTemplateAlone() {
        TaskOptions template = TaskOptions.none();
        TaskOptions limited = template.withTimeout(Duration.ofSeconds(3));
        assertEquals(Duration.ofSeconds(3), limited.timeout());
        assertNull(template.timeout());
        assertSame(TaskOptions.none(), template);
    }

    @Test
    void aTimeoutThatIsNotPositiveIsRefusedWithTheValue() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> TaskOptions.none().withTimeout(Duration.ZERO));
        assertTrue(zero.getMessage().contains("must be positive"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TaskOptions.none().withTimeout(Duration.ofMillis(-1)));
    }

    @Test
    void aKeyIsKeptBesideTheTimeoutAndANumberIsItsDecimalForm() {
        TaskOptions o = TaskOptions.none().withTimeout(Duration.ofSeconds(3)).withKey(17L);
        assertEquals("17", o.key());
        assertEquals(Duration.ofSeconds(3), o.timeout());
        assertEquals("17", o.withTimeout(Duration.ofSeconds(4)).key(), "setting the timeout keeps the key");
        assertNull(TaskOptions.none().key());
    }

    @Test
    void anEmptyOrOverlongKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TaskOptions.none().withKey(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskOptions.none().withKey("k".repeat(TaskOptions.MAX_KEY_LENGTH + 1)));
        assertTrue(e.getMessage().contains("1 to " + TaskOptions.MAX_KEY_LENGTH), e.getMessage());
    }
}
