package dev.skewless.api;

import dev.skewless.service.Replica;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** Prometheus text exposition of every meter of this replica. */
@Controller
public class MetricsEndpoint {
    /** Prometheus' text format. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Replica runtime;

    public MetricsEndpoint(Replica runtime) {
        this.runtime = runtime;
    }

    @Get(uri = "/metrics", produces = PROMETHEUS_TEXT)
    public String metrics() {
        return runtime.registry().scrape();
    }
}
