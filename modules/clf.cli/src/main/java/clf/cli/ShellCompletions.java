package clf.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What {@code clf shell} offers on TAB, read from the picocli model: subcommands, option names,
 * and the values of options and parameters from their completion candidates; job ids come from
 * {@code jobIds}, asked only when a job id is wanted. No JLine here: {@link Shell} adapts it.
 */
final class ShellCompletions {
    /** One thing to offer: the whole word, what it is, and whether a space may follow it. */
    record Suggestion(String value, String description, boolean complete) {
    }

    /** How the parameter label of comma-separated values ends ({@code jobs list --status=STATUS,...}). */
    static final String LIST_LABEL = ",...";

    private final CommandSpec root;
    private final Supplier<List<String>> jobIds;

    ShellCompletions(CommandSpec root, Supplier<List<String>> jobIds) {
        this.root = root;
        this.jobIds = jobIds;
    }

    /**
     * The suggestions for the word at {@code current} of {@code words} (the words before it are
     * complete); callers filter by the typed prefix.
     */
    List<Suggestion> complete(List<String> words, int current) {
        CommandSpec command = root;
        ArgSpec pendingValue = null;
        int positionals = 0;
        int start = !words.isEmpty() && words.get(0).equals("clf") && current > 0 ? 1 : 0;
        for (int i = start; i < current; i++) {
            String word = words.get(i);
            if (pendingValue != null) {
                pendingValue = null;
            } else if (positionals == 0 && command.subcommands().containsKey(word)) {
                command = command.subcommands().get(word).getCommandSpec();
            } else if (word.startsWith("-") && word.length() > 1) {
                OptionSpec option = command.findOption(word);
                if (option != null && takesValue(option) && !word.contains("=")) {
                    pendingValue = option;
                }
            } else {
                positionals++;
            }
        }
        String word = current < words.size() ? words.get(current) : "";
        if (pendingValue != null) {
            return values(pendingValue, word);
        }
        if (word.startsWith("--") && word.contains("=")) {
            OptionSpec option = command.findOption(word.substring(0, word.indexOf('=')));
            return option == null || !takesValue(option) ? List.of() : values(option, word);
        }
        if (word.startsWith("-")) {
            return options(command);
        }
        List<Suggestion> suggestions = new ArrayList<>();
        if (positionals == 0) {
            for (Map.Entry<String, CommandLine> sub : command.subcommands().entrySet()) {
                CommandSpec spec = sub.getValue().getCommandSpec();
                if (!spec.usageMessage().hidden()) {
                    suggestions.add(new Suggestion(sub.getKey(), header(spec), true));
                }
            }
        }
        for (PositionalParamSpec positional : command.positionalParameters()) {
            if (positional.index().contains(positionals)) {
                suggestions.addAll(values(positional, word));
            }
        }
        return suggestions;
    }

    private List<Suggestion> options(CommandSpec command) {
        List<Suggestion> suggestions = new ArrayList<>();
        for (OptionSpec option : command.options()) {
            if (option.hidden()) {
                continue;
            }
            String description = option.description().length == 0 ? "" : option.description()[0];
            for (String name : option.names()) {
                if (name.startsWith("--")) {
                    suggestions.add(new Suggestion(name, description, !takesValue(option)));
                    if (option.negatable()) {
                        String negated = command.negatableOptionTransformer().makeNegative(name, command);
                        suggestions.add(new Suggestion(negated, description, true));
                    }
                }
            }
        }
        return suggestions;
    }

    /**
     * The values of {@code arg} as whole words for {@code word}: after {@code --status=} the
     * option stays in front, and for a CSV parameter so do the items typed so far
     * ({@code done,qu} offers {@code done,queued}).
     */
    private List<Suggestion> values(ArgSpec arg, String word) {
        Iterable<String> candidates = arg.completionCandidates();
        if (candidates == null) {
            return List.of();
        }
        String kept = word.startsWith("--") && word.contains("=") ? word.substring(0, word.indexOf('=') + 1) : "";
        String typed = word.substring(kept.length());
        if (arg.paramLabel().endsWith(LIST_LABEL) && typed.contains(",")) {
            kept += typed.substring(0, typed.lastIndexOf(',') + 1);
        }
        Iterable<String> values = candidates instanceof Candidates.JobIds ? jobIds.get() : candidates;
        List<Suggestion> suggestions = new ArrayList<>();
        for (String value : values) {
            suggestions.add(new Suggestion(kept + value, "", true));
        }
        return suggestions;
    }

    private static boolean takesValue(OptionSpec option) {
        return option.arity().max() > 0 && !option.typeInfo().isBoolean();
    }

    private static String header(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        return header.length == 0 ? "" : header[0];
    }
}
