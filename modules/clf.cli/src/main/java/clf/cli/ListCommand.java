package clf.cli;

import clf.protocol.InvalidInputException;
import clf.protocol.JobKind;
import clf.protocol.Protocol;
import clf.protocol.RequesterName;
import clf.protocol.WireStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code clf jobs list}: jobs, newest first, as a table or the daemon's JSON; filters are checked before sending. */
final class ListCommand implements Callable<Integer> {
    static final int MAX_LIMIT = 500;
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._,:/=+@%-]+");

    private final CommandSpec spec;
    private final OptionSpec requester = CommandSpecs.text("--requester", "NAME", "Only jobs of this requester.").build();
    private final OptionSpec status = CommandSpecs.text("--status", "STATUS,...",
            "Only these statuses: queued,running,done,failed,canceled.")
            .completionCandidates(new Candidates.Statuses()).build();
    private final OptionSpec kind = CommandSpecs.text("--kind", "KIND,...",
            "Only these kinds: cattle.spawn,cattle.reap, or the orchestrator's own clf.prune.")
            .completionCandidates(new Candidates.ListableKinds()).build();
    private final OptionSpec limit = CommandSpecs.text("--limit", "N",
            "At most N jobs (clamped to 1–" + MAX_LIMIT + "; default: the orchestrator's, 50).").type(Integer.class).build();
    private final OptionSpec cursor = CommandSpecs.text("--cursor", "C",
            "Continue after the page that returned this nextCursor.").build();
    private final ApiOptions api;

    ListCommand() {
        spec = CommandSpecs.command(this, "list", "List jobs, newest first (table: JOB KIND STATUS ATT UPDATED).");
        spec.usageMessage().sortOptions(false);
        for (OptionSpec option : List.of(requester, status, kind, limit, cursor)) {
            spec.addOption(option);
        }
        api = new ApiOptions(spec);
        CommandSpecs.withStandardHelp(spec);
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        List<String[]> filters = filters();
        StringBuilder query = new StringBuilder();
        for (String[] filter : filters) {
            query.append(query.length() == 0 ? '?' : '&')
                    .append(filter[0]).append('=').append(Protocol.encode(filter[1]));
        }
        // This CLI reads every kind, the daemon's own (clf.prune) too; v1 clients are spared them.
        query.append(query.length() == 0 ? '?' : '&').append(JobKind.INTERNAL_QUERY_PARAMETER).append("=1");
        Output output = api.output();
        Map<String, Object> answer = api.api().list(query.toString());
        if (output.json()) {
            output.printJson(answer);
            return Main.OK;
        }
        output.lines(JobViews.listTable(JobViews.asList(answer.get("jobs"), "jobs")));
        if (answer.get("nextCursor") instanceof String next && !next.isEmpty()) {
            output.note("more: " + nextPageCommand(filters, next));
        }
        return Main.OK;
    }

    /** The query parameters, validated with the queue's and protocol's own rules, in a fixed order. */
    private List<String[]> filters() {
        String requester = this.requester.getValue();
        String status = this.status.getValue();
        String kind = this.kind.getValue();
        Integer limit = this.limit.getValue();
        String cursor = this.cursor.getValue();
        List<String[]> filters = new ArrayList<>();
        if (requester != null) {
            filters.add(new String[] {"requester", RequesterName.require("--requester", requester.strip())});
        }
        if (status != null) {
            filters.add(new String[] {"status", csv("--status", status, (flag, s) -> WireStatus.parse(flag, s))});
        }
        if (kind != null) {
            filters.add(new String[] {"kind", csv("--kind", kind, JobKind::parseListable)});
        }
        if (limit != null) {
            if (limit < 0) {
                throw new InvalidInputException("--limit", "a whole number (clamped to 1–" + MAX_LIMIT + ")", limit);
            }
            // As v1's orchestrator does: a limit out of range is clamped, not refused, so that bot
            // scripts written for the original (e.g. --limit 1000) keep working with any daemon.
            filters.add(new String[] {"limit", Integer.toString(Math.max(1, Math.min(MAX_LIMIT, limit)))});
        }
        if (cursor != null) {
            if (cursor.isBlank()) {
                throw new InvalidInputException("--cursor", "a cursor from nextCursor", cursor);
            }
            filters.add(new String[] {"cursor", cursor.strip()});
        }
        return filters;
    }

    /** Trims each item, skips blanks, checks each with {@code check}; at least one item must remain. */
    private static String csv(String flag, String value, BiConsumer<String, String> check) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            String trimmed = item.strip();
            if (!trimmed.isEmpty()) {
                check.accept(flag, trimmed);
                items.add(trimmed);
            }
        }
        if (items.isEmpty()) {
            check.accept(flag, value);
        }
        return String.join(",", items);
    }

    private String nextPageCommand(List<String[]> filters, String next) {
        StringBuilder command = new StringBuilder("clf jobs list");
        if (api.socketOption() != null) {
            command.append(" --socket ").append(shellWord(api.socketOption()));
        }
        for (String[] filter : filters) {
            if (!filter[0].equals("cursor")) {
                command.append(" --").append(filter[0]).append(' ').append(shellWord(filter[1]));
            }
        }
        return command.append(" --cursor ").append(shellWord(next)).toString();
    }

    private static String shellWord(String word) {
        return SHELL_SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
