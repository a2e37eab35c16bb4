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
}
