package dev.skewless.sample;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up path {@code main} takes: settings in, a listening server out. */
class ApplicationStartTest {

    @Test
    void startsOnAFreePortWithTheGivenVersionAndSchema() {
        try (ApplicationContext context = Application.start(new ServiceSettings("2026.12.01-3", ApiSchema.V2, 0))) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            assertThat(server.isRunning()).isTrue();
            assertThat(server.getPort()).isPositive();

            Http http = new Http(server, context.getBean(JsonMapper.class));
            HttpResponse<String> health = http.get("/health");

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.headers().firstValue("x-deployment-id")).hasValue("2026.12.01-3");
            assertThat(http.object(health)).containsEntry("schema", "v2");
        }
    }
}
