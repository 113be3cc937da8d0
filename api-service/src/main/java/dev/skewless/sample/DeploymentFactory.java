package dev.skewless.sample;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Builds the {@link Deployment} from configuration: {@code deployment.id} and {@code api.schema},
 * which Micronaut also reads from the environment variables {@code DEPLOYMENT_ID} and
 * {@code API_SCHEMA}. {@link Application#main} has already rejected bad values with a clear message;
 * this check covers contexts started some other way (tests).
 */
@Factory
final class DeploymentFactory {

    @Singleton
    Deployment deployment(@Value("${deployment.id:dev}") String id, @Value("${api.schema:v1}") String schema) {
        ApiSchema parsed = ApiSchema.parse(schema)
                .orElseThrow(() -> new IllegalArgumentException("api.schema: '" + schema + "' must be v1 or v2"));
        if (!ServiceSettings.VERSION_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("deployment.id: '" + id + "' must match " + ServiceSettings.VERSION_ID);
        }
        return new Deployment(id, parsed);
    }
}
