package dev.skewless.cli;

/**
 * What {@code skewless} exits with. Scripts and pipelines branch on these, so they never change
 * meaning: {@link #OK} 0, {@link #FAILED} 1, {@link #USAGE} 2, {@link #TIMEOUT} 3.
 */
public final class ExitCode {
    /** Done (including "nothing to do"). */
    public static final int OK = 0;
    /** Refused or failed: invalid manifests, a version in the wrong phase, AWS or store errors, a version that failed. */
    public static final int FAILED = 1;
    /** The command line itself is wrong: unknown verb or option, missing argument, bad value. */
    public static final int USAGE = 2;
    /** {@code wait} gave up before the condition held. */
    public static final int TIMEOUT = 3;

    private ExitCode() {}
}
