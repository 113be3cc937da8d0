package dev.skewless.api;

import dev.skewless.api.Views.Health;
import dev.skewless.service.ControllerRuntime;
import dev.skewless.service.Readiness;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * Liveness (the process serves HTTP) and readiness (the store answers and this replica leads;
 * 503 otherwise, with the reason). See {@code docs/decisions/013-health-and-readiness.md} for
 * which check uses which.
 */
@Controller("/health")
@ExecuteOn(TaskExecutors.BLOCKING)
public class HealthEndpoints {
    private final ControllerRuntime runtime;

    public HealthEndpoints(ControllerRuntime runtime) {
        this.runtime = runtime;
    }

    @Get(uri = "/liveness", produces = MediaType.APPLICATION_JSON)
    public Health liveness() {
        return new Health("UP", "alive", runtime.isLeader(), true, runtime.lease().fencingToken().orElse(0), "the process is up");
    }

    @Get(uri = "/readiness", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Health> readiness() {
        Readiness r = runtime.readiness();
        Health body = new Health(r.ready() ? "UP" : "DOWN", r.state(), r.leader(), r.storeReachable(), r.fencingToken(), r.detail());
        return HttpResponse.status(r.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
