package clf.image;

import clf.image.MalformedRequests.Case;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes malformed requests ({@link Case}s) to one listener, each on its own connection and
 * within a deadline, and names what came back: {@code "json 400"} (a v1 error), {@code "bare
 * 400"} (Undertow's own, empty), {@code "other 401"} (a body that is not a v1 error, like the
 * cattle listener's), {@code "head 405"}, {@code "closed"}, {@code "aborted"} (the client hung
 * up at once, nothing to read) or what went wrong. {@link #problem} says whether an outcome is
 * acceptable for the case; {@link Tally} counts them.
 */
final class CaseRunner implements AutoCloseable {
    /** A case that takes longer than this (writes included) counts as a hang. */
    static final Duration CASE_DEADLINE = Duration.ofSeconds(10);

    /** Opens a fresh connection to the listener under test, its reads bounded by a timeout. */
    interface Connector {
        UnixHttp connect(Duration readTimeout) throws IOException;

        default UnixHttp connect() throws IOException {
            return connect(UnixHttp.DEFAULT_TIMEOUT);
        }
    }

    private final Connector connector;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "case-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    CaseRunner(Connector connector) {
        this.connector = connector;
    }

    /** Runs one case within {@link #CASE_DEADLINE}; returns one outcome per expected response. */
    List<String> run(Case c) {
        List<String> outcomes = new ArrayList<>();
        UnixHttp http;
        try {
            http = connector.connect();
        } catch (IOException e) {
            return List.of("connect failed: " + e);
        }
        AtomicBoolean overdue = new AtomicBoolean();
        ScheduledFuture<?> deadline = watchdog.schedule(() -> {
            overdue.set(true);
            closeQuietly(http); // unblocks a write the daemon stopped reading
        }, CASE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        try (http) {
            boolean written = true;
            try {
                http.write(c.bytes());
            } catch (IOException e) {
                written = false; // the daemon refused and closed while we were still writing
            }
            switch (c.delivery()) {
                case ABORT -> {
                    return List.of("aborted");
                }
                case HALF_CLOSE -> {
                    if (written) {
                        try {
                            http.shutdownOutput();
                        } catch (IOException e) {
                            written = false;
                        }
                    }
                }
                case WHOLE -> {
                }
            }
            for (int r = 0; r < Math.max(1, c.responses()); r++) {
                String outcome;
                try {
                    outcome = outcome(http.read(c.head()), c.head());
                } catch (IOException | RuntimeException e) {
                    outcome = e instanceof IOException io && UnixHttp.isTimeout(io) ? "hang (no answer in 5 s)"
                            : !written ? "closed while writing"
                            : isReset(e) ? "closed (reset)" // closed with our bytes unread: the kernel says reset
                            : "garbled: " + e.getMessage();
                }
                outcomes.add(outcome);
                if (!outcome.contains(" 4") || outcome.startsWith("closed")) {
                    break;
                }
            }
            if (c.http10() && outcomes.size() == 1 && outcomes.get(0).startsWith("json 4")) {
                try {
                    if (http.readToEof() > 0) {
                        outcomes.set(0, outcomes.get(0) + " then more bytes after an HTTP/1.0 response");
                    }
                } catch (IOException e) {
                    outcomes.set(0, outcomes.get(0) + " then " + (UnixHttp.isTimeout(e) ? "left open (HTTP/1.0)" : "error " + e));
                }
            }
        } catch (IOException e) {
            // closing failed: the connection is gone either way
        } finally {
            deadline.cancel(false);
        }
        return overdue.get() ? List.of("hang (over " + CASE_DEADLINE.toSeconds() + " s)") : outcomes;
    }

    /** "json 400", "bare 400", "other 401", "head 405", "closed" … */
    static String outcome(UnixHttp.Response response, boolean head) {
        if (response == null) {
            return "closed";
        }
        if (head) {
            String type = response.header("content-type");
            return "head " + response.status() + (type != null && type.startsWith("application/json") ? "" : " (no json type)");
        }
        if (response.errorMessage() != null) {
            return "json " + response.status();
        }
        return (response.body().length == 0 ? "bare " : "other ") + response.status();
    }

    /** Why an outcome is not acceptable for the case, or null. */
    static String problem(Case c, String outcome) {
        if (outcome.startsWith("hang") || outcome.startsWith("garbled") || outcome.startsWith("connect failed")) {
            return "no clean answer";
        }
        if (outcome.startsWith("aborted")) {
            return null;
        }
        if (outcome.contains(" 5")) {
            return "server error";
        }
        if (outcome.contains(" 2") || outcome.contains(" 3")) {
            return "success for a malformed request";
        }
        if (outcome.contains("then")) {
            return "HTTP/1.0 connection handling";
        }
        boolean answered4xx = outcome.matches("(json|bare|other|head) 4\\d\\d.*");
        boolean closed = outcome.startsWith("closed");
        return switch (c.expect()) {
            case JSON_4XX -> outcome.startsWith("json 4") || (c.head() && outcome.matches("head 4\\d\\d")) ? null
                    : "expected a 4xx with a v1 JSON error";
            case ANSWERED_4XX -> answered4xx ? null : "expected a 4xx answer";
            case REFUSED -> answered4xx || closed ? null : "expected a 4xx or a close";
        };
    }

    private static boolean isReset(Exception e) {
        String message = String.valueOf(e.getMessage());
        return e instanceof IOException && (message.contains("Connection reset") || message.contains("Broken pipe"));
    }

    static void closeQuietly(UnixHttp http) {
        try {
            http.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    /**
     * What one listener answered: requests sent, outcomes by category, the answer classes the
     * report gives (4xx by status, closed, aborted), and the cases that broke the rules. Thread-safe.
     */
    static final class Tally {
        private static final Pattern STATUS = Pattern.compile("^(json|bare|other|head) (\\d{3})");
        private final Map<String, Map<String, Integer>> byCategory = new TreeMap<>();
        private final Map<String, Integer> classes = new TreeMap<>();
        private final List<String> violations = new ArrayList<>();
        private int requests;
        private int cases;

        synchronized void add(int index, Case c, List<String> outcomes) {
            cases++;
            for (String outcome : outcomes) {
                requests++;
                byCategory.computeIfAbsent(c.category(), k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
                classes.merge(answerClass(outcome), 1, Integer::sum);
                String problem = problem(c, outcome);
                if (problem != null) {
                    violations.add("#" + index + " " + problem + ": " + outcome + " <- " + c);
                }
            }
        }

        /** "4xx 400", "closed", "aborted", or the outcome itself when it is none of those. */
        static String answerClass(String outcome) {
            if (outcome.startsWith("closed")) {
                return "closed";
            }
            if (outcome.equals("aborted")) {
                return "aborted";
            }
            Matcher status = STATUS.matcher(outcome);
            if (status.find() && status.group(2).startsWith("4") && !outcome.contains(" then ")) {
                return "4xx " + status.group(2);
            }
            return outcome;
        }

        synchronized int requests() {
            return requests;
        }

        synchronized int cases() {
            return cases;
        }

        synchronized Map<String, Integer> classes() {
            return new TreeMap<>(classes);
        }

        synchronized Map<String, Map<String, Integer>> byCategory() {
            return new TreeMap<>(byCategory);
        }

        synchronized List<String> violations() {
            return List.copyOf(violations);
        }
    }
}
