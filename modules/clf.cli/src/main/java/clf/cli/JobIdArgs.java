package clf.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The job a command is about: {@code --job-id ID} or a positional {@code ID} (a picocli mixin). */
final class JobIdArgs {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Parameters(arity = "0..1", paramLabel = "ID", completionCandidates = Candidates.JobIds.class,
            description = "The job id, or its first 8 or more characters (same as --job-id).")
    private String positional;

    @Option(names = "--job-id", paramLabel = "ID", completionCandidates = Candidates.JobIds.class, description = "The job id, or its first 8 or more characters.")
    private String option;

    /** The whole id: {@link #jobId()}, or the one job of the caller's it is a prefix of (see {@link JobIdPrefix}). */
    String resolved(BotApi api) {
        return JobIdPrefix.resolve(api, jobId());
    }

    /** The id, trimmed; exactly one of the two forms must be given. */
    String jobId() {
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
