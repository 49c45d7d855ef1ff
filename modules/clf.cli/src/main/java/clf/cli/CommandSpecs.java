package clf.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How clf's commands build their picocli model: with picocli's programmatic API, each command
 * its own {@link CommandSpec} in its constructor. picocli reads annotations by reflection into
 * dynamic proxies, which JDK 17's CDS cannot archive, and building the model from them was about
 * 35 ms of every {@code clf jobs show} process (issue 14): 47-55 ms for the root, jobs and show
 * from annotations against 14-16 ms through these calls, on the image's JVM. An option's value
 * is where picocli's parser put it: {@link OptionSpec#getValue()}.
 */
final class CommandSpecs {
    /** The mixin key {@code @Command(mixinStandardHelpOptions = true)} uses; help and completion read it. */
    private static final String STANDARD_HELP = "mixinStandardHelpOptions";

    private CommandSpecs() {
    }

    /** A command named {@code name} that runs {@code command}, its help starting with {@code header}. */
    static CommandSpec command(Object command, String name, String... header) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        spec.name(name);
        if (header.length > 0) {
            spec.usageMessage().header(header);
        }
        return spec;
    }

    /**
     * Adds {@code -h, --help} and {@code -V, --version} as {@code mixinStandardHelpOptions} does
     * (picocli builds those from annotations too); last, so they come after the command's own.
     */
    static CommandSpec withStandardHelp(CommandSpec spec) {
        CommandSpec help = CommandSpec.create();
        help.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).descriptionKey("mixinStandardHelpOptions.help")
                .description("Show this help message and exit.").type(boolean.class).initialValue(false).build());
        help.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .descriptionKey("mixinStandardHelpOptions.version")
                .description("Print version information and exit.").type(boolean.class).initialValue(false).build());
        return spec.addMixin(STANDARD_HELP, help);
    }

    /** An option taking one string, null when not given. */
    static OptionSpec.Builder text(String name, String label, String... description) {
        return OptionSpec.builder(name).paramLabel(label).type(String.class).description(description);
    }

    /** An option that is given or not. */
    static OptionSpec flag(String name, String... description) {
        return OptionSpec.builder(name).type(boolean.class).initialValue(false).description(description).build();
    }

    /** Whether the {@link #flag} was given. */
    static boolean given(OptionSpec flag) {
        return flag.<Boolean>getValue();
    }
}
