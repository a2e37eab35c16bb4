package org.jparallel.tests.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jparallel.WorkerInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /status.json} of a running job shows both workers and the task counts. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StatusJsonTest {

    @TempDir
    Path tempDir;

    @Test
    void jsonOfARunningJobShowsBothWorkersAndTheCounts() throws Exception {
        try (RunningJob job = new RunningJob(tempDir)) {
            JsonNode json = new ObjectMapper().readTree(job.get("/status.json"));
            List<WorkerInfo> workers = job.manager.workers();

            JsonNode ws = json.get("workers");
            assertEquals(2, ws.size(), json.toPrettyString());
            long doneByWorkers = 0;
            for (int i = 0; i < 2; i++) {
                JsonNode w = ws.get(i);
                assertEquals(workers.get(i).id(), w.get("id").asInt(), json.toPrettyString());
                assertEquals("CONNECTED", w.get("state").asText(), json.toPrettyString());
                assertEquals(workers.get(i).pid(), w.get("pid").asLong(), json.toPrettyString());
                assertTrue(w.get("pid").asLong() > 0, json.toPrettyString());
                assertTrue(!w.get("host").asText().isBlank(), json.toPrettyString());
                doneByWorkers += w.get("tasksDone").asLong();
            }
            assertEquals(RunningJob.QUICK, doneByWorkers, json.toPrettyString());

            JsonNode t = json.get("tasks");
            assertEquals(RunningJob.QUICK + RunningJob.LONG, t.get("submitted").asLong(), json.toPrettyString());
            assertEquals(RunningJob.QUICK, t.get("done").asLong(), json.toPrettyString());
            assertEquals(0, t.get("failed").asLong(), json.toPrettyString());
            assertEquals(0, t.get("waiting").asLong(), json.toPrettyString());
            assertEquals(RunningJob.LONG, t.get("running").asLong(), json.toPrettyString());
            assertTrue(json.get("throughput").asDouble() >= 0, json.toPrettyString());
            assertEquals(0, json.get("failures").size(), json.toPrettyString());

            assertTrue(job.get("/").contains("<title>jparallel status</title>"));
        }
    }
}
