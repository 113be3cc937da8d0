package dev.skewless.api;

import dev.skewless.api.Views.Problem;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

/** RFC 7807 problem responses ({@code application/problem+json}). */
final class Problems {
    /** The problem body's media type. */
    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPES = "https://skewless.dev/problems/";

    private Problems() {}

    static MutableHttpResponse<Problem> of(HttpStatus status, String type, String title, String detail) {
        return HttpResponse.<Problem>status(status).contentType(MEDIA_TYPE)
                .body(new Problem(TYPES + type, title, status.getCode(), detail));
    }

    static ProblemException unknownApp(String app) {
        return new ProblemException(HttpStatus.NOT_FOUND, "unknown-app", "Unknown app", "no App named '" + app + "'");
    }

    static ProblemException unknownVersion(String app, String version) {
        return new ProblemException(HttpStatus.NOT_FOUND, "unknown-version", "Unknown version",
                "App '" + app + "' has no version '" + version + "'");
    }

    /**
     * A problem raised by an endpoint. Thrown rather than returned: a 404 returned as a response
     * would be re-routed to the global not-found handler, which knows nothing about the App.
     */
    static final class ProblemException extends RuntimeException {
        final HttpStatus status;
        final String type;
        final String title;

        ProblemException(HttpStatus status, String type, String title, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.type = type;
            this.title = title;
        }

        MutableHttpResponse<Problem> response() {
            return of(status, type, title, getMessage());
        }
    }
}
