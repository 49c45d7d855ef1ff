package clf.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import picocli.CommandLine;

/**
 * The session behind {@code clf shell}: reads lines with JLine and runs each through one
 * {@link CommandLine} of clf (built by {@link Main#commandLine}, with its exit-code mapping), so a
 * line behaves exactly like the same arguments given to {@code clf}, except that errors are
 * printed and the session goes on. Adds {@code watch}, {@code help} and {@code exit}.
 */
final class Shell {
    static final String HISTORY = "clf/history";
    private static final Duration JOB_IDS_FRESH = Duration.ofSeconds(5);
    private static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(2);

    private final Terminal terminal;
    private final CommandLine commands;
    private final boolean rich;

    private Shell(Terminal terminal, CommandLine commands, boolean rich) {
        this.terminal = terminal;
        this.commands = commands;
        this.rich = rich;
    }

    /** Runs the session until {@code exit} or Ctrl-D; returns 0, or 1 when there is no terminal to read. */
    static int run(Context outer, Path socket, PrintWriter err) throws IOException {
        Map<String, String> env = new HashMap<>(outer.env());
        env.put(ApiOptions.SOCKET_ENV, socket.toString());
        Context context = new Context(Map.copyOf(env), outer.ticker());
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            boolean rich = supportsStyle(terminal, env);
            PrintWriter out = terminal.writer();
            CommandLine commands = Main.commandLine(context, out, out);
            BotApi api = new BotApi(new SocketClient(socket, Duration.ofSeconds(10)));
            Shell shell = new Shell(terminal, commands, rich);
            commands.addSubcommand(new CommandLine(new WatchCommand(shell.watchScreen(), api, context.ticker()).spec()));
            commands.getSubcommands().get("shell").getCommandSpec().usageMessage().hidden(true);
            JobIdCache jobIds = new JobIdCache(
                    JobIdCache.newest(new BotApi(new SocketClient(socket, COMPLETION_TIMEOUT))),
                    context.ticker(), JOB_IDS_FRESH);
            ShellCompletions completions = new ShellCompletions(commands.getCommandSpec(), jobIds);
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("clf")
                    .parser(new DefaultParser())
                    .completer((lineReader, line, candidates) -> candidates.addAll(candidates(completions, line)))
                    .variable(LineReader.HISTORY_FILE, historyFile(env))
                    .variable(LineReader.HISTORY_SIZE, 1000)
                    .build();
            return shell.loop(reader);
        }
    }

    private int loop(LineReader reader) {
        Thread session = Thread.currentThread();
        // Outside readLine, Ctrl-C interrupts what runs (wait, watch) instead of ending the JVM.
        terminal.handle(Terminal.Signal.INT, signal -> session.interrupt());
        PrintWriter out = terminal.writer();
        out.println("clf shell: " + Main.version() + ". Type help for the commands, exit or Ctrl-D to leave.");
        int last = Main.OK;
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt(last));
            } catch (UserInterruptException e) {
                continue; // Ctrl-C abandons the line
            } catch (EndOfFileException e) {
                return Main.OK;
            }
            List<String> words = words(reader.getParsedLine());
            if (words.isEmpty()) {
                continue;
            }
            if (words.get(0).equals("clf")) {
                words.remove(0);
                if (words.isEmpty()) {
                    continue;
                }
            }
            String first = words.get(0);
            if (first.equals("exit") || first.equals("quit")) {
                return Main.OK;
            }
            if (first.equals("help")) {
                words.remove(0);
                words.add("--help");
            }
            if (first.equals("shell")) {
                out.println("clf: already in clf shell");
                last = Main.USAGE;
                continue;
            }
            last = Main.execute(commands, words.toArray(new String[0]));
            Thread.interrupted(); // a Ctrl-C that came as the command ended must not reach the next one
            if (first.equals("help") && words.size() == 1) {
                out.println("In clf shell: watch ID shows a job live, help COMMAND its options, exit or Ctrl-D leaves;");
                out.println("Ctrl-C abandons the line being typed or stops what runs.");
            }
            out.flush();
        }
    }

    /** The words of the accepted line, quotes removed; blank words from trailing spaces dropped. */
    private static List<String> words(ParsedLine line) {
        List<String> words = new ArrayList<>(line.words());
        if (!words.isEmpty() && words.get(words.size() - 1).isEmpty() && line.line().endsWith(" ")) {
            words.remove(words.size() - 1);
        }
        return words;
    }

    private String prompt(int last) {
        String code = last == Main.OK ? "" : " [" + last + "]";
        if (!rich) {
            return "clf" + code + "> ";
        }
        return new AttributedString("clf", AttributedStyle.BOLD.foreground(AttributedStyle.CYAN)).toAnsi(terminal)
                + (code.isEmpty() ? "" : new AttributedString(code, AttributedStyle.DEFAULT.foreground(AttributedStyle.RED))
                        .toAnsi(terminal))
                + "> ";
    }

    private static List<Candidate> candidates(ShellCompletions completions, ParsedLine line) {
        List<Candidate> candidates = new ArrayList<>();
        for (ShellCompletions.Suggestion s : completions.complete(line.words(), line.wordIndex())) {
            String description = s.description().isEmpty() ? null : s.description();
            candidates.add(new Candidate(s.value(), s.value(), null, description, null, null, s.complete()));
        }
        return candidates;
    }

    /** Colour and in-place redraws need a terminal that is not dumb, and no NO_COLOR. */
    private static boolean supportsStyle(Terminal terminal, Map<String, String> env) {
        String type = terminal.getType();
        if (type == null || type.startsWith(Terminal.TYPE_DUMB) || env.containsKey("NO_COLOR")) {
            return false;
        }
        Integer colors = terminal.getNumericCapability(Capability.max_colors);
        return colors != null && colors >= 8 && terminal.getStringCapability(Capability.cursor_up) != null;
    }

    /** $XDG_STATE_HOME/clf/history, else ~/.local/state/clf/history; its directory private. */
    static Path historyFile(Map<String, String> env) {
        String state = env.getOrDefault("XDG_STATE_HOME", "");
        Path base = state.isBlank() || !Path.of(state).isAbsolute()
                ? Path.of(System.getProperty("user.home"), ".local", "state")
                : Path.of(state);
        Path file = base.resolve(HISTORY);
        try {
            if (!Files.isDirectory(file.getParent())) {
                Files.createDirectories(file.getParent(),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no history file then: JLine keeps the session's history in memory
        }
        return file;
    }

    private WatchCommand.Screen watchScreen() {
        return new WatchCommand.Screen() {
            private Display display;

            @Override
            public boolean redraws() {
                return rich;
            }

            @Override
            public void show(List<String> lines, String status) {
                lines = lines.stream().map(ShownText::clean).toList(); // job messages, errors: bot text
                if (!rich) {
                    lines.forEach(terminal.writer()::println);
                    terminal.flush();
                    return;
                }
                if (display == null) {
                    display = new Display(terminal, false);
                }
                display.resize(terminal.getHeight(), terminal.getWidth());
                List<AttributedString> styled = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    AttributedStyle style = i == 0 ? statusStyle(status) : AttributedStyle.DEFAULT;
                    String text = lines.get(i);
                    styled.add(new AttributedString(text.length() > terminal.getWidth()
                            ? text.substring(0, Math.max(0, terminal.getWidth() - 1)) : text, style));
                }
                display.update(styled, -1);
                terminal.flush();
            }

            @Override
            public void done() {
                if (display != null) {
                    terminal.writer().println();
                    terminal.flush();
                    display = null;
                }
            }
        };
    }

    private static AttributedStyle statusStyle(String status) {
        return switch (status) {
            case "done" -> AttributedStyle.BOLD.foreground(AttributedStyle.GREEN);
            case "failed", "canceled" -> AttributedStyle.BOLD.foreground(AttributedStyle.RED);
            default -> AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);
        };
    }
}
