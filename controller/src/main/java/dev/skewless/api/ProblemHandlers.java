package dev.skewless.api;

import dev.skewless.api.Views.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;

/** Problem bodies for what the router itself answers: no such path, a method the API does not have. */
@Controller
public class ProblemHandlers {

    @Error(global = true, exception = Problems.ProblemException.class)
    public HttpResponse<Problem> problem(Problems.ProblemException e) {
        return e.response();
    }

    @Error(global = true, status = HttpStatus.NOT_FOUND)
    public HttpResponse<Problem> notFound(HttpRequest<?> request) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "no resource at " + request.getPath());
    }

    @Error(global = true, status = HttpStatus.METHOD_NOT_ALLOWED)
    public HttpResponse<Problem> methodNotAllowed(HttpRequest<?> request) {
        return Problems.of(HttpStatus.METHOD_NOT_ALLOWED, "read-only", "Method not allowed",
                request.getMethodName() + " is not supported: the status API is read-only");
    }
}
