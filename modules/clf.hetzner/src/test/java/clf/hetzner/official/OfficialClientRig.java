package clf.hetzner.official;

import clf.hetzner.openapi.SpecRecorder;
import clf.hetzner.sim.HetznerSimulator;
import java.time.Duration;
import java.util.List;

/**
 * A simulator on the real clock (Hetzner's clients wait for actions in real time) that accepts only
 * {@link #TOKEN}, with every exchange checked against the OpenAPI file. Requests are checked too,
 * except for what the official clients send beyond the file and the real API accepts (listed in
 * {@link #CLIENT_DEVIATIONS}). {@link #close()} fails the test on any other violation.
 */
final class OfficialClientRig implements AutoCloseable {
    static final String TOKEN = "official-client-token-42";

    /**
     * Requests of Hetzner's own clients that the OpenAPI file does not describe, and the real API
     * accepts:
     * <ul>
     *   <li>the file types the create body's references as strings, yet hcloud (hcloud-go) sends
     *       the image it looked up by name as its numeric id, and hcloud-python sends
     *       {@code id_or_name}, an integer when the caller gave an id (see
     *       clf.hetzner.internal.sim.Reference);</li>
     *   <li>hcloud 1.30.3 pages {@code GET /actions?id=…} (with {@code page} only) and sorts {@code GET /server_types}, from
     *       before the file dropped those parameters there.</li>
     * </ul>
     */
    static final List<String> CLIENT_DEVIATIONS = List.of(
            integerWhereTheFileSaysString("image"),
            integerWhereTheFileSaysString("server_type"),
            integerWhereTheFileSaysString("location"),
            "GET /actions request: validation.request.parameter.query.unexpected: "
                    + "Query parameter 'page' is unexpected on path \"/actions\"",
            "GET /server_types request: validation.request.parameter.query.unexpected: "
                    + "Query parameter 'sort' is unexpected on path \"/server_types\"");

    private static String integerWhereTheFileSaysString(String field) {
        return "POST /servers request: validation.request.body.schema.type: [Path '/" + field + "'] "
                + "Instance type (integer) does not match any allowed primitive type (allowed: [\"string\"])";
    }

    final HetznerSimulator sim = HetznerSimulator.start();
    final SpecRecorder spec = new SpecRecorder(CLIENT_DEVIATIONS);

    OfficialClientRig() {
        sim.addObserver(spec);
        sim.requireToken(TOKEN);
        sim.setBootDelay(Duration.ofMillis(1500));
        sim.setDeleteDelay(Duration.ofMillis(500));
    }

    @Override
    public void close() {
        sim.close();
        spec.assertClean();
    }
}
