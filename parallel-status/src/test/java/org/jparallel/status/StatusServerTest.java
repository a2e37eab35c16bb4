package org.jparallel.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jparallel.Manager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The status server of a manager without workers: off by default, loopback, its routes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void offUnlessAskedFor() {
        try (Manager m = Manager.builder().bindAddress("127.0.0.1").build()) {
            assertTrue(m.statusAddress().isEmpty());
        }
    }

    @Test
    void servesThePageTheJsonAnd404OnLoopback() throws Exception {
        try (Manager m = Manager.builder().bindAddress("127.0.0.1").statusPort(0).build()) {
            InetSocketAddress a = m.statusAddress().orElseThrow();
            assertTrue(a.getAddress().isLoopbackAddress(), a.toString());
            String base = "http://127.0.0.1:" + a.getPort();

            HttpResponse<String> page = get(base + "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
            assertTrue(page.body().contains("fetch(\"/status.json\""), "the page polls the JSON");
            assertTrue(!page.body().contains("http://") && !page.body().contains("https://"),
                    "the page loads nothing from elsewhere");

            HttpResponse<String> json = get(base + "/status.json");
            assertEquals(200, json.statusCode());
            assertTrue(json.headers().firstValue("content-type").orElse("").startsWith("application/json"));
            JsonNode n = new ObjectMapper().readTree(json.body());
            assertEquals(0, n.get("workers").size());
            assertEquals(0, n.get("tasks").get("submitted").asLong());

            assertEquals(404, get(base + "/nope").statusCode());
            assertEquals(404, get(base + "/status.json/x").statusCode());
        }
    }

    @Test
    void refusesForeignHostNamesOnLoopback() throws Exception {
        try (Manager m = Manager.builder().bindAddress("127.0.0.1").statusPort(0).build();
             Socket s = new Socket("127.0.0.1", m.statusAddress().orElseThrow().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /status.json HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 403"), response);
        }
    }

    @Test
    void closingTheManagerStopsThePage() throws Exception {
        int port;
        try (Manager m = Manager.builder().bindAddress("127.0.0.1").statusPort(0).build()) {
            port = m.statusAddress().orElseThrow().getPort();
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            throw new AssertionError("the status port " + port + " still accepts connections after close");
        } catch (java.net.ConnectException expected) {
            // closed
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
