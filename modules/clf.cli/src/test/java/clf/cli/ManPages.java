package clf.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The section-1 pages of clf, read from the picocli model that {@code clf --help} prints:
 * {@code clf.1}, and one page per command below it ({@code clf-jobs.1}, {@code clf-jobs-enqueue.1},
 * {@code clf-shell.1} …). Names, synopses, options, arguments, exit codes and examples come from
 * the commands' specs; only what --help has no place for (environment, files, see also) is written here.
 */
final class ManPages {
    static final String MANUAL = "clf Manual";

    private final String source;

    ManPages(String version) {
        this.source = "clf " + version;
    }

    /** File name ({@code clf-jobs-list.1}) to page, the root first, then depth-first in declared order. */
    Map<String, String> pages(CommandLine root) {
        Map<String, String> pages = new LinkedHashMap<>();
        collect(root.getCommandSpec(), pages);
        return pages;
    }

    private void collect(CommandSpec command, Map<String, String> pages) {
        pages.put(pageName(command) + ".1", page(command));
        for (CommandLine sub : command.subcommands().values()) {
            collect(sub.getCommandSpec(), pages);
        }
    }

    /** {@code clf}, {@code clf-jobs}, {@code clf-jobs-enqueue}. */
    static String pageName(CommandSpec command) {
        return command.qualifiedName("-");
    }

    private String page(CommandSpec command) {
        Roff roff = new Roff(pageName(command).toUpperCase(Locale.ROOT), 1, source, MANUAL);
        roff.section("NAME").text(pageName(command) + " - " + summary(command));
        synopsis(roff, command);
        roff.section("DESCRIPTION");
        for (String paragraph : description(command)) {
            roff.paragraph(paragraph);
        }
        if (command.parent() == null) {
            roff.paragraph("clf is the command line bots use to ask clf-orchestrator(8) for work: clf jobs enqueue"
                    + " queues a cattle.spawn job (an ephemeral VM for a task) or a cattle.reap job, and list, show,"
                    + " events, wait and cancel follow it. The orchestrator knows the caller by its Unix user (the"
                    + " socket's peer credentials): a bot enqueues only as itself and sees only its own jobs.");
            roff.paragraph("With --json, stdout carries exactly one JSON document, the orchestrator's answer or"
                    + " {\"ok\":false,\"error\":{\"message\":...,\"code\":...}}, and diagnostics go to stderr.");
            roff.paragraph("Each command has its own page, named after it: clf-jobs(1), clf-jobs-enqueue(1) and so on."
                    + " The orchestrator, its configuration and the socket's access rules are in clf-orchestrator(8).");
        }
        if (!command.positionalParameters().isEmpty()) {
            roff.section("ARGUMENTS");
            for (PositionalParamSpec positional : command.positionalParameters()) {
                roff.tagged(Roff.italic(positional.paramLabel()), String.join(" ", positional.description()));
            }
        }
        roff.section("OPTIONS");
        for (OptionSpec option : command.options()) {
            if (!option.hidden()) {
                roff.tagged(optionTag(command, option), String.join(" ", option.description()));
            }
        }
        if (!command.subcommands().isEmpty()) {
            roff.section("COMMANDS");
            commands(roff, command);
        }
        Map<String, String> exitCodes = exitCodes(command);
        if (!exitCodes.isEmpty()) {
            roff.section("EXIT STATUS");
            exitCodes.forEach((code, meaning) -> roff.tagged(Roff.bold(code.strip()), meaning.strip()));
        }
        if (command.parent() == null || command.name().equals("shell")) {
            environment(roff, command);
        }
        if (command.name().equals("shell")) {
            roff.section("FILES");
            roff.tagged(Roff.italic("$XDG_STATE_HOME/clf/history"),
                    "The lines of earlier sessions; ~/.local/state/clf/history when XDG_STATE_HOME is unset.");
        }
        List<String> examples = examples(command);
        if (!examples.isEmpty()) {
            roff.section("EXAMPLES");
            roff.example(examples.toArray(new String[0]));
        }
        roff.section("SEE ALSO");
        roff.raw(seeAlso(command));
        return roff.toString();
    }

    private static String summary(CommandSpec command) {
        String[] header = command.usageMessage().header();
        String text = header.length > 0 ? header[0] : command.usageMessage().description()[0];
        text = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        return Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    /** {@code clf jobs list [-hV] [--requester=NAME] …}, one bracketed group per option. */
    private static void synopsis(Roff roff, CommandSpec command) {
        roff.section("SYNOPSIS");
        List<String> parts = new ArrayList<>();
        parts.add(Roff.bold(command.qualifiedName()));
        for (OptionSpec option : command.options()) {
            if (option.hidden()) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (String name : option.names()) {
                names.add(Roff.bold(negatableName(command, option, name)));
            }
            String group = String.join("|", names);
            if (takesValue(option)) {
                group += "=" + Roff.italic(option.paramLabel());
            }
            parts.add(option.required() ? group : "[" + group + "]");
        }
        for (PositionalParamSpec positional : command.positionalParameters()) {
            String label = Roff.italic(positional.paramLabel());
            parts.add(positional.arity().min() == 0 ? "[" + label + "]" : label);
        }
        if (!command.subcommands().isEmpty()) {
            parts.add(Roff.italic("COMMAND"));
        }
        parts.forEach(roff::raw);
    }

    /** {@code \fB-h\fR, \fB--help\fR} or {@code \fB--ttl\fR=\fIDUR\fR}. */
    private static String optionTag(CommandSpec command, OptionSpec option) {
        List<String> names = new ArrayList<>();
        for (String name : option.names()) {
            names.add(Roff.bold(negatableName(command, option, name)));
        }
        String tag = String.join(", ", names);
        return takesValue(option) ? tag + "=" + Roff.italic(option.paramLabel()) : tag;
    }

    /** {@code --[no-]auto-shutdown} for a negatable option, as --help shows it. */
    private static String negatableName(CommandSpec command, OptionSpec option, String name) {
        if (!option.negatable() || !name.startsWith("--")) {
            return name;
        }
        return command.negatableOptionTransformer().makeSynopsis(name, command);
    }

    private static boolean takesValue(OptionSpec option) {
        return option.arity().max() > 0 && !option.typeInfo().isBoolean();
    }

    /** The description paragraphs; {@code %n} in them becomes a line break. */
    private static List<String> description(CommandSpec command) {
        List<String> paragraphs = new ArrayList<>();
        String[] description = command.usageMessage().description();
        String[] header = command.usageMessage().header();
        for (String text : description.length > 0 ? description : header) {
            paragraphs.add(format(text));
        }
        return paragraphs;
    }

    private static void commands(Roff roff, CommandSpec command) {
        for (CommandLine sub : command.subcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            roff.tagged(Roff.bold(spec.name()), format(spec.usageMessage().header()[0]) + " See " + pageName(spec) + "(1).");
            for (CommandLine leaf : spec.subcommands().values()) {
                CommandSpec leafSpec = leaf.getCommandSpec();
                roff.tagged(Roff.bold(spec.name() + " " + leafSpec.name()), format(leafSpec.usageMessage().header()[0])
                        + " See " + pageName(leafSpec) + "(1).");
            }
        }
    }

    /** The command's exit codes, else those of the nearest command above it that lists them. */
    private static Map<String, String> exitCodes(CommandSpec command) {
        for (CommandSpec c = command; c != null; c = c.parent()) {
            if (!c.usageMessage().exitCodeList().isEmpty()) {
                return c.usageMessage().exitCodeList();
            }
        }
        return Map.of();
    }

    private static void environment(Roff roff, CommandSpec command) {
        roff.section("ENVIRONMENT");
        if (command.parent() == null) {
            roff.tagged(Roff.bold(ApiOptions.SOCKET_ENV), "The orchestrator's socket when --socket is not given;"
                    + " without either, /run/clf/orchestrator.sock.");
            roff.tagged(Roff.bold("CLF_JAVA_OPTS"), "Extra JVM options for the launcher, split into words.");
        }
        roff.tagged(Roff.bold("XDG_STATE_HOME"), "clf shell keeps its history in $XDG_STATE_HOME/clf/history.");
        roff.tagged(Roff.bold("NO_COLOR"), "When set, clf shell uses no colour.");
        roff.tagged(Roff.bold("TERM"), "clf shell draws in colour and redraws watch in place only on a terminal"
                + " that supports it; TERM=dumb gets plain lines.");
    }

    /** The footer's example lines (after its {@code Example:} heading); the root page uses the seed's. */
    private static List<String> examples(CommandSpec command) {
        if (command.parent() == null) {
            return List.of(
                    "clf jobs enqueue cattle.spawn \\",
                    "  --requester maren \\",
                    "  --idempotency-key <discord-message-id> \\",
                    "  --identity rex \\",
                    "  --task-file ./task.json \\",
                    "  --ttl 2h \\",
                    "  --json",
                    "",
                    "clf jobs list --requester maren --json",
                    "clf jobs show --job-id <jobId> --json",
                    "clf jobs cancel --job-id <jobId> --json");
        }
        List<String> lines = new ArrayList<>();
        for (String footer : command.usageMessage().footer()) {
            lines.addAll(Arrays.asList(format(footer).split("\n")));
        }
        lines.removeIf(line -> line.isBlank() || line.strip().endsWith(":"));
        return lines.stream().map(String::strip).map(line -> line.startsWith("--") ? "  " + line : line).toList();
    }

    private static String seeAlso(CommandSpec command) {
        List<String> pages = new ArrayList<>();
        if (command.parent() != null) {
            pages.add(Roff.bold(pageName(command.parent())) + "(1)");
        }
        for (CommandLine sub : command.subcommands().values()) {
            pages.add(Roff.bold(pageName(sub.getCommandSpec())) + "(1)");
        }
        pages.add(Roff.bold("clf-orchestrator") + "(8)");
        return String.join(",\n", pages);
    }

    /** picocli's usage texts are format strings: {@code %n} is a line break, {@code %%} a percent sign. */
    private static String format(String text) {
        return String.format(Locale.ROOT, text).replace("\r\n", "\n").replace(System.lineSeparator(), "\n").strip();
    }
}
