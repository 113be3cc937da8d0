package dev.skewless.api;

import dev.skewless.api.Views.Health;
import dev.skewless.service.Replica;
import dev.skewless.service.Readiness;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * Liveness (the process serves HTTP) and readiness (the store answers and this replica leads;
 * 503 otherwise, with the reason). See {@code docs/decisions/013-health-and-readiness.md} for
 * which check uses which.
 *
 * <p>Both read state the lease heartbeat keeps and never wait on the store or AWS, so they run
 * on the event loop: a blocking pool full of requests stuck on a stalled store cannot delay them.
 */
@Controller("/health")
public class HealthEndpoints {
    private final Replica runtime;

    public HealthEndpoints(Replica runtime) {
        this.runtime = runtime;
    }

    @Get(uri = "/liveness", produces = MediaType.APPLICATION_JSON)
    public Health liveness() {
        Readiness r = runtime.readiness();
        return new Health("UP", "alive", r.leader(), r.storeReachable(), r.fencingToken(), "the process is up");
    }

    @Get(uri = "/readiness", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Health> readiness() {
        Readiness r = runtime.readiness();
        Health body = new Health(r.ready() ? "UP" : "DOWN", r.state(), r.leader(), r.storeReachable(), r.fencingToken(), r.detail());
        return HttpResponse.status(r.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
