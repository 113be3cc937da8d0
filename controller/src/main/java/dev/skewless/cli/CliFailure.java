package dev.skewless.cli;

import java.util.List;
import java.util.Objects;

/**
 * A verb stopping with an exit code and a message for the person at the terminal. The message
 * says what happened and in what state things are; {@code next} says what to do about it (commands
 * to run), printed after it.
 */
public final class CliFailure extends RuntimeException {
    private final int exitCode;
    private final transient List<String> next;

    private CliFailure(int exitCode, String message, List<String> next) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.exitCode = exitCode;
        this.next = List.copyOf(next);
    }

    /** Exit 1: refused or failed. */
    public static CliFailure failed(String message, String... next) {
        return new CliFailure(ExitCode.FAILED, message, List.of(next));
    }

    /** Exit 2: the command line is wrong. */
    public static CliFailure usage(String message, String... next) {
        return new CliFailure(ExitCode.USAGE, message, List.of(next));
    }

    /** Exit 3: gave up waiting. */
    public static CliFailure timeout(String message, String... next) {
        return new CliFailure(ExitCode.TIMEOUT, message, List.of(next));
    }

    public int exitCode() {
        return exitCode;
    }

    /** Lines of advice printed after the message (may be empty). */
    public List<String> next() {
        return next;
    }
}
