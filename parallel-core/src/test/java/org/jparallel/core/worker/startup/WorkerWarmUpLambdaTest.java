package org.jparallel.core.worker.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Base64;
import java.util.function.IntSupplier;
import org.jparallel.core.serial.Payloads;
import org.junit.jupiter.api.Test;

/**
 * The payload the worker's warm-up reads is its lambda as written today: the warm-up holds it ready-made
 * (so that a worker writes no lambda before its first result), and a change of the payload format or of the
 * lambda would otherwise leave it reading a stale one (harmless, but the warm-up's last step would fail).
 */
class WorkerWarmUpLambdaTest {

    @Test
    void theWarmUpsPayloadIsItsLambdaAsWrittenNow() {
        String now = Base64.getEncoder().withoutPadding().encodeToString(Payloads.serialize(WorkerWarmUp.lambda()));
        assertEquals(now, WorkerWarmUp.LAMBDA_PAYLOAD, "WorkerWarmUp.LAMBDA_PAYLOAD is stale; replace it with " + now);
    }

    @Test
    void itReadsBackAsTheLambda() throws Exception {
        Object copy = Payloads.deserialize(Base64.getDecoder().decode(WorkerWarmUp.LAMBDA_PAYLOAD),
                WorkerWarmUp.class.getClassLoader());
        assertEquals(1, ((IntSupplier) copy).getAsInt());
    }
}
