package clf.cli;

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
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clf jobs enqueue KIND …}. The request is built with the protocol package's
 * {@link EnqueueRequest}, {@link SpawnPayload} and {@link ReapPayload}, so it is validated by the
 * daemon's own rules before anything is sent; errors name the flag.
 */
@Command(name = "enqueue", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Enqueue a cattle.spawn or cattle.reap job.",
        footer = {"%nExample:",
            "  clf jobs enqueue cattle.spawn --requester maren --idempotency-key 123 \\",
            "      --identity rex --task-file ./task.json --ttl 2h --json"})
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

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "KIND", completionCandidates = Candidates.Kinds.class,
            description = "cattle.spawn or cattle.reap (same as --kind).")
    private String kindArgument;

    @Option(names = "--kind", paramLabel = "KIND", completionCandidates = Candidates.Kinds.class, description = "cattle.spawn or cattle.reap.")
    private String kindOption;

    @Option(names = "--requester", paramLabel = "NAME",
            description = "Who asks (1–64 chars of [a-z0-9._-]); default: your Unix user name less $CLF_REQUESTER_PREFIX"
                    + " (default bot-), the name the orchestrator binds you to.")
    private String requester;

    @Option(names = "--idempotency-key", paramLabel = "KEY", defaultValue = "",
            description = "Enqueue at most one job per requester and KEY; a repeat returns the first job.")
    private String idempotencyKey;

    @Option(names = "--run-at", paramLabel = "ISO", description = "Not before this time (ISO-8601 with zone), at most a year ahead"
            + " (CLF_MAX_RUN_AT_AHEAD); default now.")
    private String runAt;

    @Option(names = "--priority", paramLabel = "N", defaultValue = "0", description = "Higher runs first (default 0); bots may use -10 to 10 unless the"
            + " orchestrator sets CLF_BOT_MAX_PRIORITY.")
    private int priority;

    @Option(names = "--max-attempts", paramLabel = "N",
            description = "Tries before the job fails (1–" + EnqueueRequest.MAX_ATTEMPTS + "); default: the kind's.")
    private Integer maxAttempts;

    @Option(names = "--identity", paramLabel = "NAME", description = "cattle.spawn: the identity the VM runs as.")
    private String identity;

    @Option(names = "--task-file", paramLabel = "FILE", description = "cattle.spawn: the task as a JSON file (schemaVersion 1).")
    private String taskFile;

    @Option(names = "--task-id", paramLabel = "ID", description = "cattle.spawn without --task-file: the task's id.")
    private String taskId;

    @Option(names = "--message", paramLabel = "TEXT", description = "cattle.spawn without --task-file: the prompt.")
    private String message;

    @Option(names = "--callback-url", paramLabel = "URL", description = "cattle.spawn without --task-file: http(s) callback.")
    private String callbackUrl;

    @Option(names = "--ttl", paramLabel = "DUR", description = "cattle.spawn: VM lifetime like 30m, 2h or 1d; default the orchestrator's.")
    private String ttl;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = "", description = "cattle.spawn: override the VM image.")
    private String image;

    @Option(names = "--server-type", paramLabel = "TYPE", defaultValue = "", description = "cattle.spawn: override the server type.")
    private String serverType;

    @Option(names = "--location", paramLabel = "LOCATION", defaultValue = "", description = "cattle.spawn: override the location.")
    private String location;

    @Option(names = "--auto-shutdown", negatable = true,
            description = "cattle.spawn: power the VM off when the task ends (sent only if given).")
    private Boolean autoShutdown;

    @Option(names = "--with-github-token",
            description = "cattle.spawn: hand the VM GITHUB_TOKEN too (operators only; bots get 403).")
    private boolean withGithubToken;

    @Option(names = "--dry-run", description = "cattle.reap: report what would be deleted, delete nothing.")
    private boolean dryRun;

    @Mixin
    private ApiOptions api;

    @Override
    public Integer call() {
        JobKind kind = kind();
        Map<String, Object> payload = switch (kind) {
            case CATTLE_SPAWN -> spawnPayload().toJson();
            case CATTLE_REAP -> reapPayload().toJson();
            case CLF_PRUNE -> throw new AssertionError("JobKind.parse gives only kinds a bot may enqueue");
        };
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
            return new EnqueueRequest(who, idempotencyKey.strip(), kind, payload, notBefore, priority, maxAttempts);
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
        if (dryRun) {
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
                    location.strip(), autoShutdown, withGithubToken);
        } catch (InvalidInputException e) {
            throw renamed(e);
        }
    }

    private Task task() {
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
        String[][] spawnOnly = {
            {"--identity", identity}, {"--task-file", taskFile}, {"--task-id", taskId}, {"--message", message},
            {"--callback-url", callbackUrl}, {"--ttl", ttl}, {"--image", image.isEmpty() ? null : image},
            {"--server-type", serverType.isEmpty() ? null : serverType},
            {"--location", location.isEmpty() ? null : location},
            {"--[no-]auto-shutdown", autoShutdown == null ? null : autoShutdown.toString()},
            {"--with-github-token", withGithubToken ? "true" : null}};
        for (String[] flag : spawnOnly) {
            if (flag[1] != null) {
                throw usage(flag[0] + " applies to cattle.spawn only");
            }
        }
        return new ReapPayload(dryRun);
    }

    private static Failure renamed(InvalidInputException e) {
        String flag = FLAG_OF.get(e.field());
        return flag == null ? Failure.invalid(e.getMessage()) : Failure.invalid(e, flag);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
