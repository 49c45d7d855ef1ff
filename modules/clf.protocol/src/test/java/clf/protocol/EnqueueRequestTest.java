package clf.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.jr.ob.JSON;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnqueueRequestTest {
    static Object json(String text) throws Exception {
        return JSON.std.anyFrom(text);
    }

    static String error(String body) {
        return assertThrows(InvalidInputException.class, () -> EnqueueRequest.fromJson(json(body))).getMessage();
    }

    @Test
    void theSeedsSpawnRequestParsesWithDefaultsFilledIn() throws Exception {
        EnqueueRequest request = EnqueueRequest.fromJson(json("""
                {"protocolVersion":1,"requester":"maren","idempotencyKey":"123","kind":"cattle.spawn",
                 "payload":{"identity":"rex","task":{"schemaVersion":1,"taskId":" t1 ","type":"clawdbot.gateway.agent",
                 "message":"hi","callbackUrl":""},"ttl":"2h","image":"","serverType":"","location":""},
                 "runAt":"","priority":0}
                """));

        assertEquals("maren", request.requester());
        assertEquals(JobKind.CATTLE_SPAWN, request.kind());
        assertNull(request.runAt());
        assertNull(request.maxAttempts());
        assertEquals("{\"identity\":\"rex\",\"task\":{\"schemaVersion\":1,\"taskId\":\"t1\",\"type\":"
                + "\"clawdbot.gateway.agent\",\"message\":\"hi\",\"callbackUrl\":\"\"},\"ttl\":\"2h\",\"image\":\"\","
                + "\"serverType\":\"\",\"location\":\"\"}", JSON.std.asString(request.payload()),
                "payload is stored normalised, in v1's field order");
    }

    @Test
    void aReapWithoutPayloadIsAnOrdinaryReap() throws Exception {
        EnqueueRequest request = EnqueueRequest.fromJson(json("{\"protocolVersion\":1,\"kind\":\"cattle.reap\"}"));
        assertEquals(Map.of("dryRun", false), request.payload());
        assertNull(request.requester());
    }

    @Test
    void everyBadFieldIsNamedWithWhatWasExpected() {
        assertEquals("protocolVersion: 1, got 2 (a number)", error("{\"protocolVersion\":2,\"kind\":\"cattle.reap\"}"));
        assertEquals("protocolVersion: 1, got nothing", error("{\"kind\":\"cattle.reap\"}"));
        assertEquals("kind: one of cattle.spawn|cattle.reap, got 'cattle.milk'",
                error("{\"protocolVersion\":1,\"kind\":\"cattle.milk\"}"));
        assertEquals("priority: a whole number, got \"5\" (a string)",
                error("{\"protocolVersion\":1,\"kind\":\"cattle.reap\",\"priority\":\"5\"}"));
        assertEquals("priority: a whole number, got 1.5 (a number)",
                error("{\"protocolVersion\":1,\"kind\":\"cattle.reap\",\"priority\":1.5}"));
        assertEquals("runAt: an ISO-8601 time with a zone, like 2026-01-17T21:08:32Z, got 'tomorrow'",
                error("{\"protocolVersion\":1,\"kind\":\"cattle.reap\",\"runAt\":\"tomorrow\"}"));
        assertEquals("maxAttempts: 1–10, got 11",
                error("{\"protocolVersion\":1,\"kind\":\"cattle.reap\",\"maxAttempts\":11}"));
        assertEquals("requester: 1–64 chars of [a-z0-9._-], got 'Maren'",
                error("{\"protocolVersion\":1,\"kind\":\"cattle.reap\",\"requester\":\"Maren\"}"));
        assertEquals("payload.dryRun: true or false, got \"yes\" (a string)",
                error("{\"protocolVersion\":1,\"kind\":\"cattle.reap\",\"payload\":{\"dryRun\":\"yes\"}}"));
        assertEquals("body: a JSON object, got an array", error("[1,2]"));
    }

    @Test
    void spawnPayloadRulesAreChecked() {
        String base = "{\"protocolVersion\":1,\"kind\":\"cattle.spawn\",\"payload\":";
        assertEquals("payload.identity: a string, got nothing", error(base + "{\"task\":{}}}"));
        assertEquals("payload.identity: a name of [a-z0-9_-] starting with a letter, up to 63 chars, got '../etc'",
                error(base + "{\"identity\":\"../etc\",\"task\":{\"taskId\":\"t\",\"message\":\"m\"}}}"));
        assertEquals("payload.task: a JSON object, got nothing", error(base + "{\"identity\":\"rex\"}}"));
        assertEquals("payload.task.message: a string, got nothing",
                error(base + "{\"identity\":\"rex\",\"task\":{\"taskId\":\"t\"}}}"));
        assertEquals("payload.task.type: \"clawdbot.gateway.agent\", got 'other'",
                error(base + "{\"identity\":\"rex\",\"task\":{\"taskId\":\"t\",\"message\":\"m\",\"type\":\"other\"}}}"));
        assertEquals("payload.task.callbackUrl: \"\" or an http(s) URL, got 'ftp://x'",
                error(base + "{\"identity\":\"rex\",\"task\":{\"taskId\":\"t\",\"message\":\"m\",\"callbackUrl\":\"ftp://x\"}}}"));
        assertEquals("payload.ttl: a duration like 30s, 15m, 2h or 1d, got '0m'",
                error(base + "{\"identity\":\"rex\",\"task\":{\"taskId\":\"t\",\"message\":\"m\"},\"ttl\":\"0m\"}}").replace(" (more than zero)", ""));
    }

    @Test
    void theRequestRoundTripsThroughItsJson() throws Exception {
        EnqueueRequest request = new EnqueueRequest("maren", "k", JobKind.CATTLE_REAP, Map.of("dryRun", true),
                Instant.parse("2026-01-17T21:08:32Z"), 3, 2);
        EnqueueRequest again = EnqueueRequest.fromJson(json(JSON.std.asString(request.toJson())));
        assertEquals(request, again);
    }

    @Test
    void ttlGrammar() {
        assertEquals(Duration.ofSeconds(30), Ttl.parse("ttl", "30s"));
        assertEquals(Duration.ofMinutes(15), Ttl.parse("ttl", "15m"));
        assertEquals(Duration.ofHours(2), Ttl.parse("ttl", " 2 H "));
        assertEquals(Duration.ofDays(1), Ttl.parse("ttl", "1d"));
        for (String bad : new String[] {"", "0m", "2 hours", "m2", "-1h", "99999999999h"}) {
            assertThrows(InvalidInputException.class, () -> Ttl.parse("ttl", bad), bad);
        }
        assertEquals("36h", Ttl.format(Duration.ofHours(36)));
        assertEquals("90s", Ttl.format(Duration.ofSeconds(90)));
    }
}
