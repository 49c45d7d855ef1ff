package clf.hetzner.openapi;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Checks one HTTP exchange against its operation in the Hetzner OpenAPI file with Atlassian's
 * swagger-request-validator, in both directions: the operation exists (path and method), query and
 * path parameters are declared and fit their schemas, a body is present exactly when declared and
 * fits its schema; the answer's status is declared (exactly or as a range) and its body fits.
 * Objects may not carry properties their schema does not declare (the library's default).
 *
 * <p>Each violation is one line: {@code "POST /servers request: <key>: <message>"}, the key being
 * the library's stable message key (e.g. {@code validation.request.body.schema.type}).
 */
public final class ExchangeValidator {
    private static ExchangeValidator shared;
    private final OpenApiInteractionValidator validator;

    private ExchangeValidator() {
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(HcloudSpec.normalizedJson())
                .withBasePathOverride("/") // exchanges carry paths below /v1
                // undeclared query parameters are ignored by default; the old hand-written check
                // refused them, and a misspelt filter would otherwise pass unnoticed
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                        .build())
                .build();
    }

    /** One per test JVM: parsing the 1.3 MB file takes seconds. */
    public static synchronized ExchangeValidator load() {
        if (shared == null) {
            shared = new ExchangeValidator();
        }
        return shared;
    }

    public List<String> request(String method, String path, String rawQuery, String body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                request.withQueryParam(decode(equals < 0 ? pair : pair.substring(0, equals)),
                        equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        if (body != null && !body.isEmpty()) {
            request.withBody(body).withContentType("application/json");
        }
        return lines(method + " " + path + " request", validator.validateRequest(request.build()));
    }

    public List<String> response(String method, String path, int status, String body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        if (body != null && !body.isEmpty()) {
            response.withBody(body).withContentType("application/json");
        }
        Request.Method verb = Request.Method.valueOf(method.toUpperCase(Locale.ROOT));
        return lines(method + " " + path + " response " + status, validator.validateResponse(path, verb, response.build()));
    }

    private static List<String> lines(String where, ValidationReport report) {
        List<String> lines = new ArrayList<>();
        for (ValidationReport.Message message : report.getMessages()) {
            if (message.getLevel() == ValidationReport.Level.ERROR || message.getLevel() == ValidationReport.Level.WARN) {
                lines.add(where + ": " + message.getKey() + ": " + text(message));
            }
        }
        return lines;
    }

    /** The message, with the reasons of a failed allOf/oneOf/anyOf after it. */
    private static String text(ValidationReport.Message message) {
        String text = message.getMessage().replace('\n', ' ');
        if (message.getNestedMessages().isEmpty()) {
            return text;
        }
        return text + " {" + message.getNestedMessages().stream().map(ExchangeValidator::text)
                .collect(Collectors.joining("; ")) + "}";
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
