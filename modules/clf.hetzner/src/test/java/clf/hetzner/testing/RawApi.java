package clf.hetzner.testing;

import clf.hetzner.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Plain HTTP against the simulator, for requests the client would never send. */
public final class RawApi {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI baseUrl;

    public RawApi(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    public record Answer(int status, String body, HttpResponse<String> raw) {
        public Map<String, Object> json() {
            return Json.parseObject(body);
        }

        /** The {@code error.code} of an error answer. */
        @SuppressWarnings("unchecked")
        public String code() {
            return (String) ((Map<String, Object>) json().get("error")).get("code");
        }

        public long header(String name) {
            return Long.parseLong(raw.headers().firstValue(name).orElseThrow());
        }
    }

    public Answer send(String method, String pathAndQuery, String body) {
        return send(method, pathAndQuery, body, SimHarness.TOKEN);
    }

    public Answer send(String method, String pathAndQuery, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
