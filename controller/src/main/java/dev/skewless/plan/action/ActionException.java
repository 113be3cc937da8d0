package dev.skewless.plan.action;

/**
 * A provider could not carry out an action. The {@link Kind} tells the engine whether to retry
 * soon (throttled, transient), later after a fresh look (conflict, in use, not found), or to
 * report a terminal condition on the record (invalid, quota).
 */
public class ActionException extends RuntimeException {
    /** Why the call failed, in the terms the engine acts on. */
    public enum Kind {
        /** The API throttled us: back off. */
        THROTTLED(true, false),
        /** 5xx, timeout, connection reset: retry with backoff. */
        TRANSIENT(true, false),
        /** The resource is not there (any more): the next pass re-reads the world. */
        NOT_FOUND(true, false),
        /** Something else holds it (priority in use, resource in use, duplicate name). */
        CONFLICT(true, false),
        /** An AWS quota is exhausted: a capacity condition, retried slowly. */
        QUOTA(true, false),
        /** The request itself is invalid (bad image, role, parameter): needs a spec change. */
        INVALID(false, true);

        private final boolean retryable;
        private final boolean terminal;

        Kind(boolean retryable, boolean terminal) {
            this.retryable = retryable;
            this.terminal = terminal;
        }

        public boolean retryable() {
            return retryable;
        }

        public boolean terminal() {
            return terminal;
        }
    }

    private final Kind kind;
    private final String code;

    /**
     * @param kind    classification
     * @param code    the provider's error code (e.g. {@code PriorityInUse}), for reasons and metrics
     * @param message what happened, for people
     */
    public ActionException(Kind kind, String code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    public ActionException(Kind kind, String code, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
