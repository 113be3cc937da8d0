package dev.skewless.sample;

import io.micronaut.context.annotation.Property;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every response names the version that answered it, successes and errors alike, and errors are
 * problem bodies.
 */
@MicronautTest
@Property(name = "deployment.id", value = "v7.1")
@Property(name = "api.schema", value = "v2")
@Property(name = "sample.test.failing-route", value = "true")
class DeploymentHeaderTest {

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(server, json);
    }

    private static void assertAnsweredByV71(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().allValues("x-deployment-id")).containsExactly("v7.1");
    }

    @Test
    void health() {
        HttpResponse<String> response = http.get("/health");

        assertAnsweredByV71(response, 200);
        assertThat(http.object(response)).containsEntry("status", "UP").containsEntry("deploymentId", "v7.1")
                .containsEntry("schema", "v2").containsKey("startedAt");
    }

    @Test
    void successes() {
        assertAnsweredByV71(http.get("/api/items"), 200);
        assertAnsweredByV71(http.post("/api/orders",
                "{\"lines\":[{\"sku\":\"paper-filters\",\"quantity\":1}],\"customer\":{\"email\":\"a@b.io\"}}"), 201);
    }

    @Test
    void unknownRouteIsAProblem404() {
        HttpResponse<String> response = http.get("/api/nothing-here");

        assertAnsweredByV71(response, 404);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith(Problem.MEDIA_TYPE));
        assertThat(http.object(response)).containsEntry("status", 404).containsEntry("deploymentId", "v7.1")
                .containsEntry("type", "urn:skewless:sample:problem:not-found");
    }

    @Test
    void wrongMethodIs405() {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.getURI().resolve("/api/items"))
                .DELETE());

        assertAnsweredByV71(response, 405);
        assertThat(http.object(response)).containsEntry("status", 405);
    }

    @Test
    void unreadableJsonIs400() {
        HttpResponse<String> response = http.post("/api/orders", "{\"lines\": [");

        assertAnsweredByV71(response, 400);
        assertThat(http.object(response)).containsEntry("status", 400).containsEntry("schema", "v2");
    }

    @Test
    void validationFailureIs422() {
        assertAnsweredByV71(http.post("/api/orders", "{}"), 422);
    }

    @Test
    void aFailingHandlerIsA500WithoutItsMessage() {
        HttpResponse<String> response = http.get("/api/test-failure");

        assertAnsweredByV71(response, 500);
        assertThat(http.object(response)).containsEntry("status", 500)
                .containsEntry("type", "urn:skewless:sample:problem:server-error");
        assertThat(response.body()).doesNotContain("internal detail");
    }

    @Test
    void corsPreflightAndHeadAreAnsweredToo() {
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(server.getURI() + "/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertAnsweredByV71(head, 200);
    }
}
