package clf.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The argument rewrites the v1 CLI did before parsing: every element exactly {@code --} is
 * dropped, and a camelCase flag ({@code --idempotencyKey}, {@code --taskFile=x}) is read as its
 * kebab-case name when that names an option of clf. Anything else passes through untouched.
 */
final class Argv {
    private Argv() {
    }

    static String[] normalize(CommandLine root, String... args) {
        Set<String> known = null;
        List<String> result = new ArrayList<>(args.length);
        for (String arg : args) {
            if (arg.equals("--")) {
                continue;
            }
            if (isCamelCaseFlag(arg)) {
                if (known == null) {
                    known = optionNames(root);
                }
                arg = kebab(arg, known);
            }
            result.add(arg);
        }
        return result.toArray(new String[0]);
    }

    /** Whether {@link #normalize} would look up a camelCase flag among the tree's option names. */
    static boolean rewritesCamelCase(String... args) {
        for (String arg : args) {
            if (isCamelCaseFlag(arg)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCamelCaseFlag(String arg) {
        return arg.startsWith("--") && hasUpperCaseName(arg);
    }

    private static boolean hasUpperCaseName(String arg) {
        int end = arg.indexOf('=');
        String name = end < 0 ? arg : arg.substring(0, end);
        return !name.equals(name.toLowerCase(Locale.ROOT));
    }

    private static String kebab(String arg, Set<String> known) {
        int end = arg.indexOf('=');
        String name = end < 0 ? arg : arg.substring(0, end);
        String kebab = name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        if (known.contains(name) || !known.contains(kebab)) {
            return arg;
        }
        return end < 0 ? kebab : kebab + arg.substring(end);
    }

    /** Every long option name in the command tree, negated forms ({@code --no-…}) included. */
    private static Set<String> optionNames(CommandLine command) {
        Set<String> names = new HashSet<>();
        collect(command, names);
        return names;
    }

    private static void collect(CommandLine command, Set<String> names) {
        CommandLine.INegatableOptionTransformer negation = command.getNegatableOptionTransformer();
        for (OptionSpec option : command.getCommandSpec().options()) {
            for (String name : option.names()) {
                names.add(name);
                if (option.negatable()) {
                    names.add(negation.makeNegative(name, command.getCommandSpec()));
                }
            }
        }
        for (CommandLine sub : command.getSubcommands().values()) {
            collect(sub, names);
        }
    }
}
