package clf.secrets;

import java.time.Instant;

/** Whether a report credential ({@link BootstrapTokens#authenticateReport}) may report, and for whom. */
public sealed interface ReportAuth {
    /** The credential is good: its VM reports for {@code jobId}'s server {@code cattleName}. */
    record Valid(String jobId, String cattleName, Instant expiresAt) implements ReportAuth {
    }

    /**
     * Unknown or expired. The caller is told only "invalid or expired"; {@code reason} is for
     * the operator's log.
     */
    record Refused(String reason) implements ReportAuth {
    }
}
