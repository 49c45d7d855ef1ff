package clf.cli;

import clf.protocol.JobKind;
import clf.protocol.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns what the user typed for a job into its id, like git does with commits: a whole id is
 * used as it is, the first 8 or more characters of one (the list table shows 8) are looked up
 * among the caller's own jobs by the orchestrator ({@code GET /v1/jobs?idPrefix=…}), which
 * answers within the caller's scope, so another bot's ids never show up here.
 */
final class JobIdPrefix {
    /** Candidates shown when a prefix is ambiguous. */
    static final int SHOWN = 10;
    private static final Pattern WHOLE_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ID_CHARS = Pattern.compile("[0-9a-fA-F-]+");

    private JobIdPrefix() {
    }

    /** The job id {@code given} stands for; asks {@code api} only for a prefix. */
    static String resolve(BotApi api, String given) {
        if (WHOLE_ID.matcher(given).matches()) {
            return given.toLowerCase(Locale.ROOT); // ids are stored in lower case
        }
        if (!ID_CHARS.matcher(given).matches()) {
            return given; // not an id at all: the orchestrator judges it (and answers 404)
        }
        if (given.length() < Protocol.MIN_ID_PREFIX) {
            throw Failure.invalid("--job-id: a job id or at least its first " + Protocol.MIN_ID_PREFIX
                    + " characters (as clf jobs list shows them), got '" + given + "'");
        }
        String prefix = given.toLowerCase(Locale.ROOT);
        List<?> jobs = JobViews.asList(api.list("?idPrefix=" + Protocol.encode(prefix) + "&limit=" + (SHOWN + 1)
                + "&" + JobKind.INTERNAL_QUERY_PARAMETER + "=1").get("jobs"), "jobs");
        List<Map<?, ?>> matches = new ArrayList<>();
        boolean ignored = false;
        for (Object job : jobs) {
            Map<?, ?> map = JobViews.asMap(job);
            if (String.valueOf(map.get("jobId")).startsWith(prefix)) {
                matches.add(map);
            } else {
                ignored = true;
            }
        }
        if (ignored && jobs.size() > SHOWN) {
            // An orchestrator without idPrefix answered a plain page of jobs: the match may be past it.
            throw Failure.unsupported("unsupported", "this orchestrator does not look up short job ids (it answered"
                    + " /v1/jobs?idPrefix= with other jobs; it may be an older version): give the whole id");
        }
        if (matches.isEmpty()) {
            throw Failure.http(404, "not_found", "no job of yours has an id starting with '" + given + "'");
        }
        if (matches.size() > 1) {
            List<String> lines = new ArrayList<>();
            lines.add("job id prefix '" + given + "' is ambiguous; it matches:");
            for (Map<?, ?> job : matches.subList(0, Math.min(SHOWN, matches.size()))) {
                lines.add("  " + job.get("jobId") + "  " + job.get("kind") + "  " + job.get("status"));
            }
            if (matches.size() > SHOWN) {
                lines.add("  …");
            }
            throw Failure.refused("ambiguous_id", String.join("\n", lines));
        }
        return String.valueOf(matches.get(0).get("jobId"));
    }
}
