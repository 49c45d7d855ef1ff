package clf.cli;

import java.util.List;

/**
 * The source of {@code clf-orchestrator(8)}. The daemon parses its few arguments by hand, so
 * unlike the clf pages there is no picocli model to read; this class is the maintained text,
 * rendered by the same {@link Roff} writer in the same generation step. Each environment variable
 * is listed once in {@link #VARIABLES}; {@code OrchestratorPageTest} checks that every variable
 * the daemon's code names is here and that each checkable default is the one the configuration
 * classes really use.
 */
final class OrchestratorPage {

    /** A group of variables under one heading of ENVIRONMENT. */
    record Group(String title, List<Variable> variables) {
    }

    /**
     * One environment variable.
     *
     * @param shown   the default as the page shows it ("" for none)
     * @param checked the same default as a value the configuration must read as its default, or
     *                null when it is not a single value ("the daemon's group", "derived")
     */
    record Variable(String name, String shown, String checked, String meaning) {
        static Variable of(String name, String value, String meaning) {
            return new Variable(name, value, value, meaning);
        }

        static Variable described(String name, String shown, String meaning) {
            return new Variable(name, shown, null, meaning);
        }
    }

    static final List<Group> VARIABLES = List.of(
            new Group("The bot socket and who calls", List.of(
                    Variable.of("CLF_DB_PATH", "/var/lib/clf/orchestrator/state.sqlite",
                            "The job store, an SQLite database in WAL mode (job payloads, results, events). Its"
                                    + " directory is made 0700 and the files 0600. Must be absolute."),
                    Variable.described("CLF_DATABASE_URL", "unset: SQLite at CLF_DB_PATH",
                            "postgresql://[user@]host[:port]/database[?sslmode=verify-full] or, over the server's"
                                    + " Unix socket, postgresql://user@/database?host=/run/postgresql: the stores (jobs,"
                                    + " bootstrap tokens, capacity) live in this shared PostgreSQL instead of this host's"
                                    + " SQLite files, so several orchestrators share one fleet (maxInstances, quotas,"
                                    + " idempotency, leases). No password in the URL. Chosen once at start and logged."),
                    Variable.described("CLF_DATABASE_PASSWORD", "none (peer or trust login)",
                            "The PostgreSQL password, a secret: the systemd credential file of that name"
                                    + " (LoadCredential=), else the environment. Read at start; never logged."),
                    Variable.of("CLF_DATABASE_CONNECTIONS", "8",
                            "Most connections this daemon holds to CLF_DATABASE_URL, for all its stores together"
                                    + " (2–200), plus one that listens for other hosts' enqueues."),
                    Variable.of("CLF_SOCKET_PATH", "/run/clf/orchestrator.sock",
                            "The bot API's Unix socket, when the daemon binds it itself (not socket-activated):"
                                    + " mode 0660; its directory must not be writable by group or others."
                                    + " Must be absolute."),
                    Variable.described("CLF_SOCKET_GROUP", "the daemon's group",
                            "The group given to a socket the daemon binds itself, normally clf-bots. With socket"
                                    + " activation, systemd's SocketGroup= decides instead."),
                    Variable.of("CLF_REQUESTER_PREFIX", "bot-",
                            "Bots are the users named PREFIX+NAME: user bot-maren is requester maren. NAME must be"
                                    + " 1\u201363 chars of [a-z0-9._-] starting and ending with a letter or digit (its"
                                    + " own Hetzner label value) and must not itself start with the prefix; any other"
                                    + " user who is not an operator is refused (403). clf(1) reads it too, to send"
                                    + " that name to orchestrators that require the requester field (protocol v1)."),
                    Variable.of("CLF_OPERATOR_GROUP", "clf-admins",
                            "Members of this group (and root, and the daemon's own user) are operators: they act"
                                    + " for any requester, see every job and may override image, server type and"
                                    + " location freely."),
                    Variable.of("CLF_TRUST_REQUESTER", "0",
                            "1: take the requester from the request instead of the peer credentials, for hosts"
                                    + " where all bots share one Unix user. A request from a user that is no bot must"
                                    + " name its requester, and the name must follow the same rule as bot names (400"
                                    + " otherwise)."),
                    Variable.of("CLF_MAX_CONNECTIONS", "256",
                            "Bot connections served at once (2\u20134096); one more is answered 503 and closed."),
                    Variable.of("CLF_MAX_CONNECTIONS_PER_UID", "32",
                            "Bot connections one Unix user may hold at once (1\u20134095, less than"
                                    + " CLF_MAX_CONNECTIONS, so one user at its cap leaves room for the others); one"
                                    + " more is answered 429 quota_exceeded and closed. Operators are exempt; they"
                                    + " count towards CLF_MAX_CONNECTIONS."),
                    Variable.described("CLF_METRICS_LISTEN", "unset (no TCP listener)",
                            "ADDR:PORT, e.g. 127.0.0.1:9464: also serve GET /metrics, and nothing else, over TCP"
                                    + " for a Prometheus that cannot use the socket. Loopback only (127.0.0.0/8, [::1],"
                                    + " localhost): every local user can read it, no other host or cattle VM can."
                                    + " Same as --metrics-listen."),
                    Variable.of("CLF_PASSWD_FILE", "/etc/passwd",
                            "Where user names of peer credentials are looked up."),
                    Variable.of("CLF_GROUP_FILE", "/etc/group",
                            "Where operator group membership is looked up."))),
            new Group("Workers", List.of(
                    Variable.of("CLF_WORKER_CONCURRENCY", "2", "Jobs run at once (1\u201364)."),
                    Variable.of("CLF_WORKER_POLL_MS", "1000",
                            "How often an idle worker looks for work another process stored, and how often running"
                                    + " jobs are checked for a cancel recorded by another process (a cancel through this"
                                    + " daemon's socket stops its job at once), in milliseconds (10\u201330000). An enqueue"
                                    + " wakes a worker at once and a job scheduled for later or retrying is claimed when"
                                    + " due; on SQLite an idle worker only reads the file's change counter each interval"
                                    + " and claims when it moved, on PostgreSQL it claims each interval."),
                    Variable.of("CLF_WORKER_LEASE_MS", "600000",
                            "How long a claimed job is a worker's before another may take it over, in milliseconds"
                                    + " (1 s\u20131 h)."),
                    Variable.of("CLF_WORKER_LEASE_REFRESH_MS", "30000",
                            "How often a running job's lease is renewed, in milliseconds; at most half of"
                                    + " CLF_WORKER_LEASE_MS."),
                    Variable.of("CLF_SHUTDOWN_GRACE_MS", "20000",
                            "On SIGTERM or SIGINT, how long running jobs get to finish before they are released"
                                    + " for a later run, in milliseconds (0\u201310 min)."),
                    Variable.of("CLF_LOG_LEVEL", "info",
                            "debug: also log a line per request (job.enqueued, job.cancel); with info they are"
                                    + " counted in one log.summary line a minute instead (each job's life is in"
                                    + " clf jobs events either way). INFO lines are held to 100 a second (bursts of"
                                    + " 1,000; a log.suppressed line counts the rest), far under journald's rate"
                                    + " limit, so WARN and ERROR lines, which always pass, are never dropped."))),
            new Group("Cattle: what a spawn creates", List.of(
                    Variable.of("CLF_CATTLE_ENABLED", "1",
                            "0: no cattle; cattle.* jobs are refused with HTTP 503 and nothing below is needed."),
                    Variable.described("CLF_CATTLE_IMAGE", "none; required",
                            "The Hetzner image cattle servers are created from: a numeric image id, a system image"
                                    + " name (ubuntu-24.04), or label:SELECTOR (label:role=clf-cattle), the newest"
                                    + " available snapshot with those labels, looked up when a spawn runs and kept"
                                    + " for at most 5 minutes. Uploaded images are snapshots, which have no name."),
                    Variable.of("CLF_CATTLE_SERVER_TYPE", "cx23",
                            "The server type of a spawn; hcloud server-type list shows the types Hetzner sells"
                                    + " and which are deprecated. Type, image and location are checked against"
                                    + " Hetzner's catalog at start: an unknown one stops the start naming the near"
                                    + " choices; a deprecated type is a warning, and the hetznerCatalog health check"
                                    + " fails once its unavailable_after date has passed."),
                    Variable.of("CLF_CATTLE_LOCATION", "nbg1", "The location of a spawn."),
                    Variable.of("CLF_CATTLE_ALLOWED_IMAGES", "",
                            "Comma-separated images a bot may ask for besides CLF_CATTLE_IMAGE (operators: any)."),
                    Variable.of("CLF_CATTLE_ALLOWED_SERVER_TYPES", "",
                            "Comma-separated server types a bot may ask for besides the default."),
                    Variable.of("CLF_CATTLE_ALLOWED_LOCATIONS", "",
                            "Comma-separated locations a bot may ask for besides the default."),
                    Variable.of("CLF_CATTLE_DEFAULT_TTL", "2h",
                            "A VM's lifetime when the request names none (like 30m, 2h, 1d); at most"
                                    + " CLF_CATTLE_MAX_TTL."),
                    Variable.of("CLF_CATTLE_MAX_TTL", "24h", "The longest lifetime a request may ask for."),
                    Variable.of("CLF_CATTLE_MAX_INSTANCES", "10",
                            "Cattle servers at once, all requesters together, host-wide across processes"
                                    + " (1\u20131000)."),
                    Variable.of("CLF_CATTLE_MAX_PER_REQUESTER", "3",
                            "Cattle servers one requester may have at once (1\u20131000); the default is 3 or"
                                    + " CLF_CATTLE_MAX_INSTANCES, whichever is smaller."),
                    Variable.of("CLF_CATTLE_ADOPT_LEGACY", "1",
                            "1: servers of the original implementation (labels managed-by=clawdlets or clawlets,"
                                    + " cattle=true) count against CLF_CATTLE_MAX_INSTANCES and are reaped when their"
                                    + " expires-at passes, and its firewall clawdlets-cattle-base is reused while"
                                    + " clf-cattle-base does not exist; the start log says how many were found. 0:"
                                    + " they are ignored."),
                    Variable.of("CLF_CATTLE_DELETE_ON_FINISH", "1",
                            "1: a server is deleted within a minute of its agent reporting the task finished"
                                    + " (POST /v1/cattle/task; the daemon enqueues a cattle.reap at once). 0: it lives"
                                    + " until its expires-at. Either way the reap deletes every server whose TTL"
                                    + " passed, whether its agent reported or not."),
                    Variable.of("CLF_CATTLE_LABELS_JSON", "{}",
                            "Extra Hetzner labels for every cattle server, as a JSON object of strings."),
                    Variable.of("CLF_CATTLE_AUTO_SHUTDOWN", "1",
                            "Power a VM off when its task ends, unless the request says otherwise."),
                    Variable.described("CLF_ADMIN_AUTHORIZED_KEYS_FILE", "none",
                            "A file of SSH public keys for the VM's admin user, one per line; required with"
                                    + " cattle unless CLF_ADMIN_AUTHORIZED_KEYS is set."),
                    Variable.described("CLF_ADMIN_AUTHORIZED_KEYS", "none",
                            "The same keys inline, one per line; used when CLF_ADMIN_AUTHORIZED_KEYS_FILE is unset."),
                    Variable.of("CLF_IDENTITIES_ROOT", "/var/lib/clf/identities",
                            "The identities a VM can carry: NAME/SOUL.md and NAME/config.json (schemaVersion 1,"
                                    + " with model.primary) per identity."),
                    Variable.of("CLF_HCLOUD_API_URL", "https://api.hetzner.cloud/v1", "The Hetzner Cloud API."),
                    Variable.of("CLF_CATTLE_BOOT_TIMEOUT_MS", "180000",
                            "How long a new server may take to boot, in milliseconds (1 s\u201330 min)."),
                    Variable.of("CLF_CATTLE_STATUS_POLL_MS", "2000",
                            "How often a booting server's status is asked, in milliseconds (10\u201360000)."))),
            new Group("Cattle: the tailnet listener VMs fetch their environment from", List.of(
                    Variable.of("CLF_CATTLE_SECRETS_LISTEN_HOST", "auto",
                            "The listener's address; auto: the IPv4 address of tailscale0, else one in"
                                    + " 100.64.0.0/10. Wildcard addresses are refused: it must never face the"
                                    + " public internet."),
                    Variable.of("CLF_CATTLE_SECRETS_LISTEN_PORT", "18337", "The listener's port (0: any free port)."),
                    Variable.described("CLF_CATTLE_SECRETS_BASE_URL", "derived from host and port",
                            "The URL VMs call, when it differs from http://HOST:PORT."),
                    Variable.of("CLF_CATTLE_BOOTSTRAP_TTL_MS", "600000",
                            "How long a VM's one-time token is valid from server creation, in milliseconds"
                                    + " (30 s\u201315 min)."),
                    Variable.described("CLF_TOKENS_DB_PATH", "tokens.sqlite beside CLF_DB_PATH",
                            "The one-time bootstrap tokens, stored hashed; capacity.sqlite, the host-wide count"
                                    + " of cattle servers, lives beside it."),
                    Variable.of("CLF_CATTLE_VERIFY_PEER", "auto",
                            "Whether a token's environment goes only to the VM it was made for: the daemon asks"
                                    + " tailscaled (whois) which tailnet node is calling and answers only the node"
                                    + " whose MagicDNS name is the server's name; another node gets 403, and 503 when"
                                    + " tailscaled cannot answer; neither uses the token up. auto: on once"
                                    + " CLF_TAILSCALE_SOCKET exists, looked for at start and again at each redemption"
                                    + " and health check (logged when it turns on; it then stays on); required: the"
                                    + " daemon does not start without it; off: any holder of a token gets its"
                                    + " environment."),
                    Variable.of("CLF_TAILSCALE_SOCKET", "/var/run/tailscale/tailscaled.sock",
                            "tailscaled's LocalAPI socket, asked who a caller of the listener is."),
                    Variable.of("CLF_TAILSCALE_TAGS", "tag:clf-cattle",
                            "With a Tailscale OAuth client: the tags of each VM's minted join key, comma-separated"
                                    + " (tag: then a letter, then letters, digits or dashes). The OAuth client must"
                                    + " own them; Tailscale refuses others and the spawn fails without retries."),
                    Variable.of("CLF_TAILSCALE_API_URL", "https://api.tailscale.com",
                            "Tailscale's API, where join keys are minted (tests and --dev point it at a"
                                    + " simulator)."))),
            new Group("Secrets", List.of(
                    Variable.described("HCLOUD_TOKEN", "none; required with cattle",
                            "The Hetzner Cloud API token."),
                    Variable.described("TAILSCALE_OAUTH_CLIENT_ID", "none",
                            "With TAILSCALE_OAUTH_CLIENT_SECRET, a Tailscale OAuth client with the auth_keys"
                                    + " scope: the daemon then mints for each VM a single-use, ephemeral,"
                                    + " pre-authorized key tagged CLF_TAILSCALE_TAGS that expires with its bootstrap"
                                    + " token (plus a minute), and only that key goes into the VM's user data. Its"
                                    + " access token is kept until 5 minutes before it expires. Tailscale's 401,"
                                    + " 400 and 403 fail the spawn for good; 429, 5xx and no answer are retried."),
                    Variable.described("TAILSCALE_OAUTH_CLIENT_SECRET", "none",
                            "The OAuth client's secret; both or neither must be set."),
                    Variable.described("TAILSCALE_AUTH_KEY", "none; required with cattle and no OAuth client",
                            "Without an OAuth client, the key every VM joins the tailnet with (tag-scoped and"
                                    + " ephemeral recommended); CLF_TAILSCALE_AUTH_KEY is read when it is unset."
                                    + " It sits in every VM's user data, where any process on the VM can read it"
                                    + " from Hetzner's metadata service while it is valid; the daemon warns of"
                                    + " that at start (tailnet.static-join-key)."),
                    Variable.described("CLF_TAILSCALE_AUTH_KEY", "none", "The same as TAILSCALE_AUTH_KEY."),
                    Variable.described("OPENAI_API_KEY", "none",
                            "Provider key handed to VMs through the listener; OPEN_AI_APIKEY is an alias."),
                    Variable.described("OPEN_AI_APIKEY", "none", "Alias of OPENAI_API_KEY."),
                    Variable.described("ANTHROPIC_API_KEY", "none", "Provider key handed to VMs."),
                    Variable.described("ZAI_API_KEY", "none", "Provider key handed to VMs; Z_AI_API_KEY is an alias."),
                    Variable.described("Z_AI_API_KEY", "none", "Alias of ZAI_API_KEY."),
                    Variable.described("GITHUB_TOKEN", "none",
                            "Handed to a VM only when an operator's spawn asks for it (withGithubToken)."),
                    Variable.described("CREDENTIALS_DIRECTORY", "set by systemd",
                            "systemd's LoadCredential= directory: a secret NAME is read from"
                                    + " $CREDENTIALS_DIRECTORY/NAME before the environment, on every use, so a"
                                    + " rotated credential needs no restart."))),
            new Group("Fair share", List.of(
                    Variable.of("CLF_BOT_MAX_PRIORITY", "10",
                            "Bots may use priorities from minus this to this (0\u20131000000); outside, the enqueue"
                                    + " is refused with 403 naming the range. Among due jobs of equal priority,"
                                    + " requesters take turns."),
                    Variable.of("CLF_MAX_ACTIVE_PER_REQUESTER", "100",
                            "A bot's queued and running jobs, at most (1\u20131000000); past it, 429"
                                    + " quota_exceeded. Checked in the transaction that stores the job."),
                    Variable.of("CLF_ENQUEUE_RATE_PER_REQUESTER", "10",
                            "A bot's enqueues a second once its burst is spent (1\u2013100000); past it, 429"
                                    + " quota_exceeded with Retry-After. An idempotent re-send costs nothing. Counted in"
                                    + " memory on one host; with CLF_DATABASE_URL, in the shared store for the fleet."),
                    Variable.of("CLF_ENQUEUE_BURST_PER_REQUESTER", "50",
                            "Enqueues a bot may make at once before the rate applies (1\u20131000000)."),
                    Variable.of("CLF_MAX_QUEUED_PAYLOAD_BYTES_PER_REQUESTER", "4194304",
                            "Bytes of payload of a bot's queued jobs, at most (262144 and up); past it, 429"
                                    + " quota_exceeded."),
                    Variable.of("CLF_MAX_RUN_AT_AHEAD", "365d",
                            "How far ahead anyone's runAt may be (at most 3650d); further is refused with 400."))),
            new Group("Housekeeping", List.of(
                    Variable.of("CLF_REAP_INTERVAL", "5m",
                            "How often the daemon enqueues a cattle.reap job, which deletes expired servers of the"
                                    + " whole fleet (as do operators' reaps; a bot's reap covers only its own"
                                    + " servers)."),
                    Variable.of("CLF_HETZNER_RESERVE_PERCENT", "10",
                            "Share of Hetzner's rate limit (0\u201390) kept for the daemon's own reaps and deletes:"
                                    + " while less is left, every other Hetzner call (spawns, bots' reaps) waits, and"
                                    + " its job gets a cattle.hetzner-budget-wait event saying why."),
                    Variable.of("CLF_RETENTION_DAYS", "30",
                            "Ended jobs older than this are deleted by a daily clf.prune job (1\u20133650), with"
                                    + " cattle disabled too. clf.prune jobs are the daemon's own: v1 clients do not"
                                    + " see them unless they ask (kind=clf.prune); clf(1) shows them."))),
            new Group("Process", List.of(
                    Variable.described("LISTEN_PID", "set by systemd",
                            "With LISTEN_FDS: socket activation. When LISTEN_PID is this process, the bot socket"
                                    + " is file descriptor 3 and CLF_SOCKET_PATH is not bound."),
                    Variable.described("LISTEN_FDS", "set by systemd", "The number of sockets systemd passed."),
                    Variable.of("CLF_DEV_BOOT_DELAY_MS", "3000",
                            "With --dev: how long a simulated server takes to boot."),
                    Variable.described("CLF_DEV_TASK_EXIT", "none",
                            "With --dev: the exit code (0\u2013255) each simulated server reports for its task, over"
                                    + " POST /v1/cattle/task as the cattle agent does; unset, they report nothing."),
                    Variable.described("CLF_JAVA_OPTS", "none",
                            "Extra JVM options for the launcher, split into words. They come after the launcher's"
                                    + " own (Serial GC, a 16\u201364 MiB heap, capped code cache and metaspace,"
                                    + " C1 only), so they override them, e.g. -Xmx256m."))));

    private OrchestratorPage() {
    }

    static String render(String version) {
        Roff roff = new Roff("CLF-ORCHESTRATOR", 8, "clf " + version, "clf Manual");
        roff.section("NAME").text("clf-orchestrator - the clf control plane daemon");
        roff.section("SYNOPSIS")
                .raw(Roff.bold("clf-orchestrator") + " [" + Roff.bold("--metrics-listen") + " "
                        + Roff.italic("ADDR:PORT") + "]").lineBreak()
                .raw(Roff.bold("clf-orchestrator") + " " + Roff.bold("--dev") + " [" + Roff.bold("--state-dir")
                        + " " + Roff.italic("DIR") + "] [" + Roff.bold("--socket") + " " + Roff.italic("PATH") + "]")
                .lineBreak()
                .raw(Roff.bold("clf-orchestrator") + " " + Roff.bold("--check-runtime") + " " + Roff.italic("DIR"))
                .lineBreak()
                .raw(Roff.bold("clf-orchestrator") + " " + Roff.bold("-h") + "|" + Roff.bold("--help") + "|"
                        + Roff.bold("-V") + "|" + Roff.bold("--version"));
        roff.section("DESCRIPTION")
                .paragraph("clf-orchestrator lets chat bots get ephemeral Hetzner Cloud servers (\"cattle\") for a"
                        + " task without ever holding cloud credentials or long-lived provider keys. Bots run clf(1);"
                        + " the daemon queues their requests durably in SQLite (idempotency keys, leases, retries),"
                        + " creates each server with the bot's identity, its task and a one-time bootstrap token,"
                        + " and deletes it when its TTL runs out.")
                .paragraph("It serves two listeners: the bot API, HTTP/JSON on a Unix socket, and a tailnet-only"
                        + " HTTP listener where a freshly booted VM trades its one-time token for its secret"
                        + " environment (GET /v1/cattle/env). There is no public ingress.")
                .paragraph("Without options it runs until SIGTERM or SIGINT, configured by the environment"
                        + " variables below. Every invalid variable is reported at start, all at once, and it"
                        + " exits 1. A start with cattle enabled but without its secrets, image or admin keys is"
                        + " refused the same way, naming what is missing.");
        roff.section("OPTIONS")
                .tagged(Roff.bold("--dev") + " [" + Roff.bold("--state-dir") + " " + Roff.italic("DIR") + "] ["
                                + Roff.bold("--socket") + " " + Roff.italic("PATH") + "]",
                        "Run the whole system on this machine without a Hetzner account: the same daemon with an"
                                + " in-process Hetzner simulator, dummy keys, a sample identity rex and a cattle"
                                + " listener on 127.0.0.1. State, socket and identities go to DIR (default ./.clf-dev,"
                                + " made 0700). It says so in its log and prints the export CLF_SOCKET_PATH=... line"
                                + " to use with clf. Tuning variables still apply; nothing can point it at a real"
                                + " Hetzner project or real keys. Other users reach the socket in DIR only when"
                                + " CLF_SOCKET_GROUP is set (DIR is then 0711: they may enter it, not list it);"
                                + " --socket PATH (or CLF_SOCKET_PATH) puts it where they can reach it."
                                + " The log line also prints the simulator's URL and"
                                + " its token, dev-hcloud-token-not-a-secret, for Hetzner's CLI:"
                                + " HCLOUD_ENDPOINT=URL HCLOUD_TOKEN=dev-hcloud-token-not-a-secret hcloud server list.")
                .tagged(Roff.bold("--metrics-listen") + " " + Roff.italic("ADDR:PORT"),
                        "Also serve GET /metrics, and nothing else (any other path or method is 404), over TCP on"
                                + " a loopback address such as 127.0.0.1:9464; the same as CLF_METRICS_LISTEN."
                                + " Wildcards, names and non-loopback addresses are refused.")
                .tagged(Roff.bold("--check-runtime") + " " + Roff.italic("DIR"),
                        "Prove this install works on this host: open an SQLite database, bind a Unix socket and"
                                + " serve one HTTP request, with scratch files under DIR/check that are removed"
                                + " afterwards.")
                .tagged(Roff.bold("-h") + ", " + Roff.bold("--help"), "Show the usage and exit.")
                .tagged(Roff.bold("-V") + ", " + Roff.bold("--version"), "Print the version and exit.");
        access(roff);
        health(roff);
        roff.section("ENVIRONMENT")
                .paragraph("Blank values count as unset. Durations like 2h are a number and a unit (s, m, h, d);"
                        + " values named _MS are milliseconds.");
        for (Group group : VARIABLES) {
            roff.subsection(group.title());
            for (Variable variable : group.variables()) {
                String shown = variable.shown().isEmpty() ? "empty" : variable.shown();
                roff.tagged(Roff.bold(variable.name()) + " (default: " + Roff.italic(shown) + ")", variable.meaning());
            }
        }
        files(roff);
        roff.section("SIGNALS")
                .tagged(Roff.bold("SIGTERM") + ", " + Roff.bold("SIGINT"),
                        "Stop accepting work, give running jobs CLF_SHUTDOWN_GRACE_MS to finish, release the rest"
                                + " for a later run, close the stores and exit 0.");
        roff.section("EXIT STATUS")
                .tagged(Roff.bold("0"), "Stopped by SIGTERM or SIGINT; --check-runtime passed; --help, --version.")
                .tagged(Roff.bold("1"), "Usage error, invalid configuration (every problem is listed), a start that"
                        + " failed (unsafe socket, unknown CLF_SOCKET_GROUP, no tailnet address, a server type, image"
                        + " or location Hetzner does not offer), or a failed --check-runtime.");
        examples(roff);
        roff.section("DIAGNOSTICS")
                .tagged(Roff.bold("connection refused") + ", " + Roff.bold("socket missing"),
                        "Check systemctl status clf-orchestrator.socket, and that the caller is in the clf-bots"
                                + " group. clf exits 3 and names the cause.")
                .tagged(Roff.bold("GET /v1/cattle/env") + " answers 401",
                        "The token expired or was already used (one-time, CLF_CATTLE_BOOTSTRAP_TTL_MS), or the VM"
                                + " did not join the tailnet (a bad TAILSCALE_AUTH_KEY).")
                .tagged(Roff.bold("GET /v1/cattle/env") + " answers 403",
                        "tailscaled says the caller is not the tailnet node named like the token's server; the log"
                                + " line cattle.env-rejected names the server, the node that asked and its address."
                                + " A VM that joined while a stale node held its name got NAME-1: remove the stale"
                                + " node (ephemeral join keys avoid them). The token stays usable.")
                .tagged(Roff.bold("GET /v1/cattle/env") + " answers 503",
                        "tailscaled's LocalAPI (CLF_TAILSCALE_SOCKET) did not answer; see cattle.env-peer-unverified"
                                + " in the log and systemctl status tailscaled. The token stays usable; the VM retries.");
        roff.section("SEE ALSO")
                .raw(Roff.bold("clf") + "(1),\n" + Roff.bold("clf-jobs") + "(1),\n" + Roff.bold("clf-status")
                        + "(1),\n" + Roff.bold("systemd.socket") + "(5),\n" + Roff.bold("systemd.exec") + "(5),\n"
                        + Roff.bold("journalctl") + "(1)");
        return roff.toString();
    }

    private static void access(Roff roff) {
        roff.section("ACCESS")
                .paragraph("Access to the bot API is file-system permission on the socket: mode 0660, owned by the"
                        + " daemon's user and the group clf-bots (systemd's SocketMode=0660 and SocketGroup=, or"
                        + " CLF_SOCKET_GROUP when the daemon binds it). A bot's Unix user must be in clf-bots. The"
                        + " daemon refuses a socket that is world-accessible, or whose directory others could write"
                        + " to, naming the path and mode. A socket it binds itself is made in a private directory"
                        + " and linked into place, so it is never more open than 0660.")
                .paragraph("Each connection is identified by its peer credentials (SO_PEERCRED), never by what the"
                        + " request claims. The user name less CLF_REQUESTER_PREFIX is the requester: user"
                        + " bot-maren enqueues only as maren, lists only maren's jobs, and another bot's job is"
                        + " \"not found\" to it. Root, the daemon's own user and members of CLF_OPERATOR_GROUP"
                        + " (clf-admins) are operators and may act for any requester. Only users named"
                        + " CLF_REQUESTER_PREFIX+NAME are bots: user maren, even in clf-bots, is refused with 403 and"
                        + " is not bot-maren. Bots never see the Hetzner"
                        + " token, the tailnet key or provider keys: those reach a VM only through the one-time"
                        + " token.");
    }

    private static void health(Roff roff) {
        roff.section("HEALTH AND METRICS")
                .paragraph("Any caller of the bot socket may read these; they name no requester, job or secret.")
                .tagged(Roff.bold("GET /healthz"),
                        "200 and {\"ok\":true,...} when every check passes, 503 and {\"ok\":false,\"failed\":[...]}"
                                + " when one does not. The checks: database (a real query answered within 2 s),"
                                + " botSocket (its accept loop runs and a client can connect), cattleListener (a"
                                + " connection to it, with cattle enabled), workers (every worker thread alive,"
                                + " none still running a job past its lease), hetznerCatalog (with cattle enabled:"
                                + " fails while the configured server type, image or location is unknown to Hetzner,"
                                + " or deprecated and past its unavailable_after date) and peerVerification (with"
                                + " cattle enabled: fails while peer verification is on and tailscaled's socket is"
                                + " gone; well, saying so, while it is off).")
                .tagged(Roff.bold("GET /v1/status"),
                        "The checks and key figures as JSON (protocolVersion 1); clf status(1) shows them.")
                .tagged(Roff.bold("GET /metrics"),
                        "The same figures in the Prometheus text format 0.0.4, every name prefixed clf_: jobs by"
                                + " kind and status, the runnable backlog and its oldest job, claim latency and"
                                + " handler duration histograms, workers, cattle servers, bootstrap tokens, Hetzner"
                                + " requests and rate-limit budget.")
                .example("curl --unix-socket /run/clf/orchestrator.sock http://clf/metrics")
                .paragraph("For a Prometheus that cannot use the socket, CLF_METRICS_LISTEN=127.0.0.1:9464 (or"
                        + " --metrics-listen) serves GET /metrics alone on loopback. Do not forward the socket to TCP"
                        + " (socat and the like): that hands the whole bot API, as the forwarding user, to every"
                        + " local user.")
                .example("curl http://127.0.0.1:9464/metrics");
    }

    private static void files(Roff roff) {
        roff.section("FILES")
                .tagged(Roff.italic("/var/lib/clf/orchestrator/state.sqlite"),
                        "The job store (CLF_DB_PATH), with its -wal and -shm files; directory 0700. The state and"
                                + " socket directories, and every directory above them, must be owned by root or the"
                                + " daemon's user (no symbolic link owned by anyone else on the way; a parent"
                                + " writable by others must be sticky, as /tmp is), and existing database files by"
                                + " the daemon's user; otherwise the daemon refuses to start, naming the path.")
                .tagged(Roff.italic("/var/lib/clf/orchestrator/tokens.sqlite"),
                        "Hashed one-time bootstrap tokens (CLF_TOKENS_DB_PATH); 0600.")
                .tagged(Roff.italic("/var/lib/clf/orchestrator/capacity.sqlite"),
                        "The cattle servers alive now, so that CLF_CATTLE_MAX_INSTANCES holds across processes.")
                .tagged(Roff.italic("/run/clf/orchestrator.sock"), "The bot socket (CLF_SOCKET_PATH), 0660, group"
                        + " clf-bots.")
                .tagged(Roff.italic("/var/lib/clf/identities/NAME/"),
                        "SOUL.md and config.json of each identity a VM can carry (CLF_IDENTITIES_ROOT).")
                .tagged(Roff.italic("$CREDENTIALS_DIRECTORY/NAME"),
                        "Secrets from systemd's LoadCredential=, readable only by the service: HCLOUD_TOKEN,"
                                + " TAILSCALE_AUTH_KEY and provider keys; read before the environment.");
    }

    private static void examples(Roff roff) {
        roff.section("EXAMPLES")
                .paragraph("On a NixOS host with the clawdlets module, enable the service; its secrets"
                        + " (hcloud_token, tailscale_auth_key, provider keys) come from sops:")
                .example("services.clfOrchestrator.enable = true;")
                .paragraph("After a deploy:")
                .example("systemctl status clf-orchestrator.socket",
                        "systemctl status clf-orchestrator",
                        "ls -la /run/clf/orchestrator.sock",
                        "journalctl -u clf-orchestrator --since 10m")
                .paragraph("Try everything on one machine, without a Hetzner account:")
                .example("clf-orchestrator --dev &",
                        "export CLF_SOCKET_PATH=$PWD/.clf-dev/orchestrator.sock",
                        "clf jobs enqueue cattle.spawn --identity rex --task-id t1 --message hello --ttl 1h",
                        "clf jobs wait JOB_ID")
                .paragraph("Check an install before enabling it:")
                .example("clf-orchestrator --check-runtime /var/lib/clf");
    }
}
