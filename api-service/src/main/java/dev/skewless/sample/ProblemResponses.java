package dev.skewless.sample;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Turns the errors Micronaut itself answers (unknown route, wrong method, unreadable JSON, an
 * exception in a handler) into the same {@code application/problem+json} body the handlers use, so
 * a client reads one error shape. A 5xx never echoes the exception's message. Micronaut's default
 * processor requires that no other one exists, so this bean alone replaces it.
 */
@Singleton
final class ProblemResponses implements ErrorResponseProcessor<Problem> {

    private final Deployment deployment;

    ProblemResponses(Deployment deployment) {
        this.deployment = deployment;
    }

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.status();
        boolean serverError = status.getCode() >= 500;
        String detail;
        List<FieldProblem> fields = List.of();
        if (serverError) {
            detail = "The server failed to answer " + context.getRequest().getMethodName() + " "
                    + context.getRequest().getPath() + ".";
            // Micronaut's RouteExecutor has already logged the exception with its stack trace.
        } else {
            detail = context.getErrors().stream().map(Error::getMessage).findFirst().orElse(status.getReason());
            fields = context.getErrors().stream()
                    .filter(e -> e.getPath().isPresent())
                    .map(e -> new FieldProblem(e.getPath().orElseThrow(), e.getMessage()))
                    .toList();
        }
        Problem problem = Problem.of(kind(status), status, detail, deployment, fields);
        return response.contentType(MediaType.of(Problem.MEDIA_TYPE)).body(problem);
    }

    private static String kind(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "not-found";
            case METHOD_NOT_ALLOWED -> "method-not-allowed";
            case BAD_REQUEST -> "bad-request";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported-media-type";
            default -> status.getCode() >= 500 ? "server-error" : "http-" + status.getCode();
        };
    }
}
