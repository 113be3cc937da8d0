package dev.skewless.infra.deploy;

/** A deploy step that cannot go on; its message says what failed and what to do. */
public final class DeployException extends RuntimeException {
    public DeployException(String message) {
        super(message);
    }
}
