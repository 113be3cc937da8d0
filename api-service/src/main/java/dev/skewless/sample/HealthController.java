package dev.skewless.sample;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** {@code GET /health}: the process is up and says which version and schema it serves. */
@Controller("/health")
final class HealthController {

    /**
     * The health answer.
     *
     * @param status       always {@code UP}: the process answers only once its server is started
     * @param deploymentId the version id
     * @param schema       the API schema served
     * @param startedAt    when this process's context started
     */
    @Serdeable
    record Health(String status, String deploymentId, String schema, Instant startedAt) {
    }

    private final Deployment deployment;
    private final Instant startedAt = Instant.now();

    HealthController(Deployment deployment) {
        this.deployment = deployment;
    }

    @Get
    Health health() {
        return new Health("UP", deployment.id(), deployment.schema().id(), startedAt);
    }
}
