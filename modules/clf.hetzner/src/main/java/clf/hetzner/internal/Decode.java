package clf.hetzner.internal;

import clf.hetzner.HetznerResponseException;
import java.util.Map;
import java.util.function.Function;

/** Parses a 2xx body and maps it, turning shape problems into a {@link HetznerResponseException}. */
public final class Decode {
    private Decode() {
    }

    public static <T> T body(ApiCall call, String body, Function<Map<String, Object>, T> mapper) {
        try {
            return mapper.apply(Json.parseObject(body));
        } catch (JsonShapeException e) {
            throw new HetznerResponseException(call.method(), call.display(), "unexpected response: " + e.getMessage());
        }
    }
}
