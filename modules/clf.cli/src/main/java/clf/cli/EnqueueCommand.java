package clf.cli;

import static clf.cli.CommandSpecs.text;

import clf.protocol.EnqueueRequest;
import clf.protocol.InvalidInputException;
import clf.protocol.JobKind;
import clf.protocol.ReapPayload;
import clf.protocol.RequesterName;
import clf.protocol.SpawnPayload;
import clf.protocol.Task;
import clf.protocol.Ttl;
import clf.protocol.WireTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code clf jobs enqueue KIND …}. The request is built with the protocol package's
 * {@link EnqueueRequest}, {@link SpawnPayload} and {@link ReapPayload}, so it is validated by the
 * daemon's own rules before anything is sent; errors name the flag.
 */
final class EnqueueCommand implements Callable<Integer> {
    static final String REQUESTER_PREFIX_ENV = "CLF_REQUESTER_PREFIX";

    /** Where the protocol's field names differ from the flags that fill them. */
    private static final Map<String, String> FLAG_OF = Map.ofEntries(
            Map.entry("requester", "--requester"),
            Map.entry("maxAttempts", "--max-attempts"),
            Map.entry("payload.identity", "--identity"),
            Map.entry("payload.ttl", "--ttl"),
            Map.entry("payload.image", "--image"),
            Map.entry("payload.serverType", "--server-type"),
            Map.entry("payload.location", "--location"),
            Map.entry("task.taskId", "--task-id"),
            Map.entry("task.message", "--message"),
            Map.entry("task.callbackUrl", "--callback-url"));

    private final CommandSpec spec;
    private final PositionalParamSpec kindArgument = PositionalParamSpec.builder().arity("0..1").paramLabel("KIND")
            .type(String.class).completionCandidates(new Candidates.Kinds())
            .description("cattle.spawn or cattle.reap (same as --kind).").build();
    private final OptionSpec kindOption = text("--kind", "KIND", "cattle.spawn or cattle.reap.")
            .completionCandidates(new Candidates.Kinds()).build();
    private final OptionSpec requester = text("--requester", "NAME",
            "Who asks (1–64 chars of [a-z0-9._-]); default: your Unix user name less $CLF_REQUESTER_PREFIX"
                    + " (default bot-), the name the orchestrator binds you to.").build();
    private final OptionSpec idempotencyKey = text("--idempotency-key", "KEY",
            "Enqueue at most one job per requester and KEY; a repeat returns the first job.").defaultValue("").build();
    private final OptionSpec runAt = text("--run-at", "ISO", "Not before this time (ISO-8601 with zone), at most a"
            + " year ahead (CLF_MAX_RUN_AT_AHEAD); default now.").build();
    private final OptionSpec priority = text("--priority", "N", "Higher runs first (default 0); bots may use -10 to 10"
            + " unless the orchestrator sets CLF_BOT_MAX_PRIORITY.").type(int.class).initialValue(0).defaultValue("0").build();
    private final OptionSpec maxAttempts = text("--max-attempts", "N",
            "Tries before the job fails (1–" + EnqueueRequest.MAX_ATTEMPTS + "); default: the kind's.")
            .type(Integer.class).build();
    private final OptionSpec identity = text("--identity", "NAME", "cattle.spawn: the identity the VM runs as.").build();
    private final OptionSpec taskFile = text("--task-file", "FILE",
            "cattle.spawn: the task as a JSON file (schemaVersion 1).").build();
    private final OptionSpec taskId = text("--task-id", "ID", "cattle.spawn without --task-file: the task's id.").build();
    private final OptionSpec message = text("--message", "TEXT", "cattle.spawn without --task-file: the prompt.").build();
    private final OptionSpec callbackUrl = text("--callback-url", "URL",
            "cattle.spawn without --task-file: http(s) callback.").build();
    private final OptionSpec ttl = text("--ttl", "DUR",
            "cattle.spawn: VM lifetime like 30m, 2h or 1d; default the orchestrator's.").build();
    private final OptionSpec image = text("--image", "IMAGE", "cattle.spawn: override the VM image.")
            .defaultValue("").build();
    private final OptionSpec serverType = text("--server-type", "TYPE", "cattle.spawn: override the server type.")
            .defaultValue("").build();
    private final OptionSpec location = text("--location", "LOCATION", "cattle.spawn: override the location.")
            .defaultValue("").build();
    private final OptionSpec autoShutdown = OptionSpec.builder("--auto-shutdown").negatable(true).type(Boolean.class)
            .description("cattle.spawn: power the VM off when the task ends (sent only if given).").build();
    private final OptionSpec withGithubToken = CommandSpecs.flag("--with-github-token",
            "cattle.spawn: hand the VM GITHUB_TOKEN too (operators only; bots get 403).");
    private final OptionSpec dryRun = CommandSpecs.flag("--dry-run",
            "cattle.reap: report what would be deleted, delete nothing.");
    private final ApiOptions api;

    EnqueueCommand() {
        spec = CommandSpecs.command(this, "enqueue", "Enqueue a cattle.spawn or cattle.reap job.");
        spec.usageMessage().sortOptions(false).footer("%nExample:",
                "  clf jobs enqueue cattle.spawn --requester maren --idempotency-key 123 \\",
                "      --identity rex --task-file ./task.json --ttl 2h --json");
        spec.addPositional(kindArgument);
        for (OptionSpec option : List.of(kindOption, requester, idempotencyKey, runAt, priority, maxAttempts, identity,
                taskFile, taskId, message, callbackUrl, ttl, image, serverType, location, autoShutdown,
                withGithubToken, dryRun)) {
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
        JobKind kind = kind();
        Map<String, Object> payload = switch (kind) {
            case CATTLE_SPAWN -> spawnPayload().toJson();
            case CATTLE_REAP -> reapPayload().toJson();
            case CLF_PRUNE -> throw new AssertionError("JobKind.parse gives only kinds a bot may enqueue");
        };
        String runAt = this.runAt.getValue();
        String requester = this.requester.getValue();
        Instant notBefore = runAt == null || runAt.isBlank() ? null : WireTime.parse("--run-at", runAt);
        String asked = requester == null ? null : requester.strip();
        String own = asked == null ? ownRequester() : null;
        EnqueueRequest request = request(asked != null ? asked : own, kind, payload, notBefore);
        Output output = api.output();
        BotApi client = api.api();
        Map<String, Object> answer;
        try {
            answer = client.enqueue(request.toJson());
        } catch (Failure refused) {
            if (own == null || refused.httpStatus() != 403 || !"forbidden".equals(refused.code())) {
                throw refused;
            }
            // Our name for this user differs from the orchestrator's (another CLF_REQUESTER_PREFIX):
            // it binds the caller itself when the field is left out, and nothing was enqueued.
            answer = client.enqueue(request(null, kind, payload, notBefore).toJson());
        }
        if (output.json()) {
            output.printJson(answer);
        } else {
            output.line(String.valueOf(answer.get("jobId")));
            if (Boolean.TRUE.equals(answer.get("deduped"))) {
                output.note("deduped: an earlier job with this idempotency key already exists");
            }
        }
        return Main.OK;
    }

    private EnqueueRequest request(String who, JobKind kind, Map<String, Object> payload, Instant notBefore) {
        try {
            String key = idempotencyKey.getValue();
            return new EnqueueRequest(who, key.strip(), kind, payload, notBefore, priority.getValue(),
                    maxAttempts.getValue());
        } catch (InvalidInputException e) {
            throw renamed(e);
        }
    }

    /**
     * The requester the orchestrator binds this Unix user to (user {@code bot-maren} is
     * {@code maren}; prefix {@code $CLF_REQUESTER_PREFIX}, else {@code bot-}), sent when no
     * {@code --requester} is given because v1 orchestrators require the field; null if the user
     * name makes no requester name.
     */
    private String ownRequester() {
        String prefix = api.context().env().getOrDefault(REQUESTER_PREFIX_ENV, RequesterName.DEFAULT_PREFIX);
        return RequesterName.ofOperator(System.getProperty("user.name"), prefix.strip());
    }

    private JobKind kind() {
        String kindArgument = this.kindArgument.getValue();
        String kindOption = this.kindOption.getValue();
        if (kindArgument != null && kindOption != null && !kindArgument.strip().equals(kindOption.strip())) {
            throw usage("Two different kinds: '" + kindArgument + "' and --kind '" + kindOption + "'");
        }
        String kind = kindOption != null ? kindOption : kindArgument;
        if (kind == null) {
            throw usage("Missing required parameter: KIND (" + JobKind.CHOICES + ", or --kind)");
        }
        return JobKind.parse("kind", kind.strip());
    }

    private SpawnPayload spawnPayload() {
        String identity = this.identity.getValue();
        String ttl = this.ttl.getValue();
        String image = this.image.getValue();
        String serverType = this.serverType.getValue();
        String location = this.location.getValue();
        if (CommandSpecs.given(dryRun)) {
            throw usage("--dry-run applies to cattle.reap only");
        }
        if (identity == null) {
            throw usage("Missing required option: '--identity=NAME' (cattle.spawn)");
        }
        Task task = task();
        String lifetime = "";
        if (ttl != null) {
            Ttl.parse("--ttl", ttl);
            lifetime = ttl.strip();
        }
        try {
            return new SpawnPayload(identity.strip(), task, lifetime, image.strip(), serverType.strip(),
                    location.strip(), autoShutdown.getValue(), CommandSpecs.given(withGithubToken));
        } catch (InvalidInputException e) {
            throw renamed(e);
        }
    }

    private Task task() {
        String taskFile = this.taskFile.getValue();
        String taskId = this.taskId.getValue();
        String message = this.message.getValue();
        String callbackUrl = this.callbackUrl.getValue();
        boolean inline = taskId != null || message != null || callbackUrl != null;
        if (taskFile != null) {
            if (inline) {
                throw usage("--task-file and --task-id/--message/--callback-url exclude each other");
            }
            return TaskFile.read(taskFile);
        }
        if (taskId == null || message == null) {
            throw usage("Missing required option: '--task-file=FILE', or '--task-id=ID' with '--message=TEXT' (cattle.spawn)");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("taskId", taskId);
        json.put("message", message);
        if (callbackUrl != null) {
            json.put("callbackUrl", callbackUrl);
        }
        try {
            return Task.fromJson(json, "task");
        } catch (InvalidInputException e) {
            throw renamed(e);
        }
    }

    private ReapPayload reapPayload() {
        String image = this.image.getValue();
        String serverType = this.serverType.getValue();
        String location = this.location.getValue();
        Boolean autoShutdown = this.autoShutdown.getValue();
        String[][] spawnOnly = {
            {"--identity", identity.getValue()}, {"--task-file", taskFile.getValue()}, {"--task-id", taskId.getValue()},
            {"--message", message.getValue()}, {"--callback-url", callbackUrl.getValue()}, {"--ttl", ttl.getValue()},
            {"--image", image.isEmpty() ? null : image},
            {"--server-type", serverType.isEmpty() ? null : serverType},
            {"--location", location.isEmpty() ? null : location},
            {"--[no-]auto-shutdown", autoShutdown == null ? null : autoShutdown.toString()},
            {"--with-github-token", CommandSpecs.given(withGithubToken) ? "true" : null}};
        for (String[] flag : spawnOnly) {
            if (flag[1] != null) {
                throw usage(flag[0] + " applies to cattle.spawn only");
            }
        }
        return new ReapPayload(CommandSpecs.given(dryRun));
    }

    private static Failure renamed(InvalidInputException e) {
        String flag = FLAG_OF.get(e.field());
        return flag == null ? Failure.invalid(e.getMessage()) : Failure.invalid(e, flag);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
