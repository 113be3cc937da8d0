package dev.skewless.sample;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * An RFC 7807 problem body ({@code application/problem+json}), the shape of every error this service
 * answers. {@code deploymentId} and {@code schema} say which version refused the request, so a
 * client built for another API shape can tell why.
 *
 * @param type         a URI naming the kind of problem
 * @param title        a short summary of the kind
 * @param status       the HTTP status, repeated in the body
 * @param detail       this occurrence, in words
 * @param deploymentId the version that answered
 * @param schema       the API schema it serves ({@code v1}/{@code v2})
 * @param errors       every problem with a field of the request; empty when not about fields
 */
@Serdeable
public record Problem(String type, String title, int status, @Nullable String detail, String deploymentId,
                      String schema, List<FieldProblem> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "urn:skewless:sample:problem:";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** A problem of kind {@code kind} (appended to the type URN) for the given deployment. */
    static Problem of(String kind, HttpStatus status, String detail, Deployment deployment, List<FieldProblem> errors) {
        return new Problem(TYPE_PREFIX + kind, status.getReason(), status.getCode(), detail, deployment.id(),
                deployment.schema().id(), errors);
    }

    /** This problem as an HTTP response with the problem media type. */
    MutableHttpResponse<Problem> toResponse() {
        return io.micronaut.http.HttpResponse.<Problem>status(HttpStatus.valueOf(status))
                .contentType(MediaType.of(MEDIA_TYPE))
                .body(this);
    }
}
