package clf.cattle.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent's settings, from its flags or else its environment, every problem reported at once.
 *
 * @param root            test and dev mode only: a private directory that stands in for {@code /},
 *                        so every path the agent reads or writes lies under it (and the env file
 *                        is not required to be on a tmpfs); null on a VM
 * @param taskCommand     the image's task command, run by {@code /bin/sh -c} with the task file as
 *                        {@code $1} and in {@code CLF_TASK_FILE}
 * @param envFile         where the fetched env is written (mode 0600, on a tmpfs)
 * @param timeMargin      how long before the server's expiry the task is killed
 * @param autoShutdown    power off at the end unless the public env says {@code 0}
 * @param poweroffCommand what powering off runs ({@code /bin/sh -c})
 */
public record AgentConfig(Path root, String taskCommand, String envFile, Duration timeMargin, boolean autoShutdown,
        String poweroffCommand) {
    public static final String DEFAULT_ENV_FILE = "/run/clf-cattle/env";
    public static final String TASK_LOG = "/var/lib/clf-cattle/task.log";
    public static final Duration DEFAULT_MARGIN = Duration.ofMinutes(2);
    public static final String DEFAULT_POWEROFF = "systemctl poweroff";

    /** One setting: its flag and the variable that gives it when the flag is absent. */
    private record Setting(String flag, String variable) {
    }

    private static final Setting ROOT = new Setting("--root", "CLF_CATTLE_ROOT");
    private static final Setting TASK_COMMAND = new Setting("--task-command", "CLF_CATTLE_TASK_COMMAND");
    private static final Setting ENV_FILE = new Setting("--env-file", "CLF_CATTLE_ENV_FILE");
    private static final Setting MARGIN = new Setting("--time-margin-seconds", "CLF_CATTLE_TIME_MARGIN_SECONDS");
    private static final Setting AUTO_SHUTDOWN = new Setting("--auto-shutdown", "CLF_CATTLE_AUTO_SHUTDOWN");
    private static final Setting POWEROFF = new Setting("--poweroff-command", "CLF_CATTLE_POWEROFF_COMMAND");
    static final List<Setting> SETTINGS = List.of(ROOT, TASK_COMMAND, ENV_FILE, MARGIN, AUTO_SHUTDOWN, POWEROFF);

    /** Settings that cannot be used; the message names each problem. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(List<String> problems) {
            super(String.join("; ", problems));
        }
    }

    public static AgentConfig parse(List<String> args, Map<String, String> env) throws Invalid {
        List<String> problems = new ArrayList<>();
        Map<String, String> flags = new java.util.HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (SETTINGS.stream().noneMatch(s -> s.flag().equals(name))) {
                problems.add("unknown argument: " + arg + " (see --help)");
            } else if (arg.contains("=")) {
                flags.put(name, arg.substring(arg.indexOf('=') + 1));
            } else if (i + 1 < args.size()) {
                flags.put(name, args.get(++i));
            } else {
                problems.add(name + ": a value is missing");
            }
        }
        java.util.function.Function<Setting, String> value = s -> flags.containsKey(s.flag()) ? flags.get(s.flag())
                : env.get(s.variable());
        String root = value.apply(ROOT);
        Path rootDir = null;
        if (root != null && !root.isBlank()) {
            rootDir = Path.of(root).toAbsolutePath().normalize();
        }
        String command = value.apply(TASK_COMMAND);
        if (command == null || command.isBlank()) {
            problems.add(TASK_COMMAND.flag() + " (or " + TASK_COMMAND.variable() + "): the image's task command is required");
        }
        String envFile = value.apply(ENV_FILE);
        if (envFile == null || envFile.isBlank()) {
            envFile = DEFAULT_ENV_FILE;
        } else if (!envFile.startsWith("/")) {
            problems.add(ENV_FILE.flag() + " (or " + ENV_FILE.variable() + "): an absolute path, got '" + envFile + "'");
        }
        Duration margin = DEFAULT_MARGIN;
        String rawMargin = value.apply(MARGIN);
        if (rawMargin != null && !rawMargin.isBlank()) {
            try {
                long seconds = Long.parseLong(rawMargin.strip());
                if (seconds < 0 || seconds > 86_400) {
                    throw new NumberFormatException();
                }
                margin = Duration.ofSeconds(seconds);
            } catch (NumberFormatException e) {
                problems.add(MARGIN.flag() + " (or " + MARGIN.variable() + "): whole seconds from 0 to 86400, got '"
                        + rawMargin + "'");
            }
        }
        boolean autoShutdown = true;
        String rawShutdown = value.apply(AUTO_SHUTDOWN);
        if (rawShutdown != null && !rawShutdown.isBlank()) {
            if (!rawShutdown.strip().equals("0") && !rawShutdown.strip().equals("1")) {
                problems.add(AUTO_SHUTDOWN.flag() + " (or " + AUTO_SHUTDOWN.variable() + "): 0 or 1, got '" + rawShutdown + "'");
            }
            autoShutdown = !rawShutdown.strip().equals("0");
        }
        String poweroff = value.apply(POWEROFF);
        if (poweroff == null || poweroff.isBlank()) {
            poweroff = DEFAULT_POWEROFF;
        }
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return new AgentConfig(rootDir, command, envFile, margin, autoShutdown, poweroff);
    }

    /** {@code absolute} on this machine, or under the test root. */
    public Path path(String absolute) {
        return root == null ? Path.of(absolute) : root.resolve(absolute.substring(1));
    }

    public static String usage() {
        return """
                Usage: clf-cattle [--task-command CMD] [--env-file PATH] [--time-margin-seconds N]
                                  [--auto-shutdown 0|1] [--poweroff-command CMD] [--root DIR]
                       clf-cattle sample-task TASK_FILE
                The agent on a cattle VM: reads what cloud-init wrote, fetches the env over the tailnet,
                runs the task command with it, reports the outcome and powers the machine off.
                Each flag may instead be given by its variable:
                  --task-command         CLF_CATTLE_TASK_COMMAND          (required; run by /bin/sh -c, task file as $1
                                                                           and in CLF_TASK_FILE)
                  --env-file             CLF_CATTLE_ENV_FILE              (default %s, must be on a tmpfs)
                  --time-margin-seconds  CLF_CATTLE_TIME_MARGIN_SECONDS   (default %d: the task is killed this long
                                                                           before the server's expiry)
                  --auto-shutdown        CLF_CATTLE_AUTO_SHUTDOWN         (default 1; env.public's 0 turns it off)
                  --poweroff-command     CLF_CATTLE_POWEROFF_COMMAND      (default "%s")
                  --root                 CLF_CATTLE_ROOT                  (tests and dev mode only: every path lies
                                                                           under DIR, and no tmpfs is required)
                sample-task prints the task's message and exits 0, or N for a message "exit N" (dev mode's task).
                Exit codes: 0 task exited 0; 1 task failed or was killed at its time limit; 2 bad settings or
                input files; 3 the env was refused (401/403); 4 gave up fetching the env at the token's expiry;
                5 the env could not be stored.
                """.formatted(DEFAULT_ENV_FILE, DEFAULT_MARGIN.toSeconds(), DEFAULT_POWEROFF);
    }
}
