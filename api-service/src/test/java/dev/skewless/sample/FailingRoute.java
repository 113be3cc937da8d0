package dev.skewless.sample;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** A route that fails inside its handler, to see what a 500 looks like from the outside. Tests only. */
@Controller("/api/test-failure")
@Requires(property = "sample.test.failing-route", value = "true")
final class FailingRoute {

    @Get
    String fail() {
        throw new IllegalStateException("internal detail that must not reach the client");
    }
}
