package dev.skewless.plan;

/**
 * Why something cannot proceed, as a condition carries it: a machine-readable reason and a
 * sentence for people. Kept apart so no code ever parses a reason back out of a message.
 */
record Blocker(String reason, String message) {
    /** {@code reason: message}, for the one-line messages of statuses. */
    String text() {
        return reason + ": " + message;
    }
}
