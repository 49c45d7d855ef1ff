package clf.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/** The job a command is about: {@code --job-id ID} or a positional {@code ID} (a picocli mixin). */
final class JobIdArgs {
    private final CommandSpec mixee;
    private final PositionalParamSpec positional = PositionalParamSpec.builder().arity("0..1").paramLabel("ID")
            .type(String.class).completionCandidates(new Candidates.JobIds())
            .description("The job id, or its first 8 or more characters (same as --job-id).").build();
    private final OptionSpec option = CommandSpecs.text("--job-id", "ID", "The job id, or its first 8 or more characters.")
            .completionCandidates(new Candidates.JobIds()).build();

    /** Adds the id's two forms to {@code mixee}, the command that takes them. */
    JobIdArgs(CommandSpec mixee) {
        this.mixee = mixee;
        CommandSpec mixin = CommandSpec.create();
        mixin.addPositional(positional);
        mixin.addOption(option);
        mixee.addMixin("job", mixin);
    }

    /** The whole id: {@link #jobId()}, or the one job of the caller's it is a prefix of (see {@link JobIdPrefix}). */
    String resolved(BotApi api) {
        return JobIdPrefix.resolve(api, jobId());
    }

    /** The id, trimmed; exactly one of the two forms must be given. */
    String jobId() {
        String positional = this.positional.getValue();
        String option = this.option.getValue();
        if (positional != null && option != null && !positional.strip().equals(option.strip())) {
            throw new ParameterException(mixee.commandLine(),
                    "Two different job ids: '" + positional + "' and --job-id '" + option + "'");
        }
        String id = option != null ? option : positional;
        if (id == null) {
            throw new ParameterException(mixee.commandLine(), "Missing required option: '--job-id=ID' (or an ID argument)");
        }
        if (id.isBlank()) {
            throw Failure.invalid("--job-id: a job id, got ''");
        }
        return id.strip();
    }
}
