package clf.cli;

import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * clf's subcommands, added here rather than by each parent. Building the models of every command
 * was most of a {@code clf jobs show ID} process, so a run builds only the commands its arguments
 * name, and at the first level where they name none (help, a typo, a missing command), every
 * command below it; the shell, the docs and the completions take the whole tree. Names are those
 * the commands' specs give ({@link CommandSpecs#command}), in the order help lists them
 * ({@code CommandsTest} checks both against the whole tree).
 */
final class Commands {
    private record Node(String name, Supplier<CommandSpec> command, List<Node> subcommands) {
    }

    private static final List<Node> TREE = List.of(
            new Node("jobs", () -> new JobsCommand().spec(), List.of(
                    leaf("enqueue", () -> new EnqueueCommand().spec()),
                    leaf("list", () -> new ListCommand().spec()),
                    leaf("show", () -> new ShowCommand().spec()),
                    leaf("cancel", () -> new CancelCommand().spec()),
                    leaf("events", () -> new EventsCommand().spec()),
                    leaf("wait", () -> new WaitCommand().spec()))),
            leaf("status", () -> new StatusCommand().spec()),
            leaf("shell", () -> new ShellCommand().spec()));

    private Commands() {
    }

    /** Adds every command under {@code root}. */
    static void addAll(CommandLine root) {
        add(root, TREE, null, 0);
    }

    /** Adds the commands that {@code args} name, and all commands below the last one named. */
    static void addNamed(CommandLine root, String... args) {
        add(root, TREE, args, 0);
    }

    private static void add(CommandLine parent, List<Node> nodes, String[] args, int from) {
        int at = args == null ? -1 : firstArgument(args, from);
        for (Node node : nodes) {
            if (at >= 0 && node.name().equals(args[at])) {
                add(subcommand(parent, node), node.subcommands(), args, at + 1);
                return;
            }
        }
        for (Node node : nodes) {
            add(subcommand(parent, node), node.subcommands(), null, 0);
        }
    }

    /** Where the next word is ({@code --} is dropped before parsing, see {@link Argv}), or -1. */
    private static int firstArgument(String[] args, int from) {
        int at = from;
        while (at < args.length && args[at].equals("--")) {
            at++;
        }
        return at < args.length ? at : -1;
    }

    private static CommandLine subcommand(CommandLine parent, Node node) {
        parent.addSubcommand(node.name(), node.command().get());
        return parent.getSubcommands().get(node.name());
    }

    private static Node leaf(String name, Supplier<CommandSpec> command) {
        return new Node(name, command, List.of());
    }
}
