package dev.skewless.sample;

import io.micronaut.context.annotation.Property;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shop API in schema v1, over real HTTP. */
@MicronautTest
@Property(name = "deployment.id", value = "2026.11.20-1")
@Property(name = "api.schema", value = "v1")
class V1ShopApiTest {

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(server, json);
    }

    @Test
    void itemsAreFlatWithDecimalPrices() {
        HttpResponse<String> response = http.get("/api/items");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) http.object(response).get("items");
        assertThat(items).hasSize(4);
        assertThat(items.getFirst()).containsOnlyKeys("id", "name", "price", "currency", "stock");
        assertThat(items.getFirst()).containsEntry("id", "espresso-beans").containsEntry("name", "Espresso beans, 1 kg")
                .containsEntry("currency", "EUR");
        assertThat(((Number) items.getFirst().get("price")).doubleValue()).isEqualTo(24.50);
    }

    @Test
    void aV1OrderIsPlacedAndCanBeReadBack() {
        HttpResponse<String> response = http.post("/api/orders", "{\"itemId\":\"paper-filters\",\"quantity\":3}");

        assertThat(response.statusCode()).isEqualTo(201);
        Map<String, Object> order = http.object(response);
        assertThat(order).containsOnlyKeys("orderId", "itemId", "quantity", "total", "currency", "status", "placedAt");
        assertThat(order).containsEntry("itemId", "paper-filters").containsEntry("quantity", 3)
                .containsEntry("status", "confirmed").containsEntry("currency", "EUR");
        assertThat(((Number) order.get("total")).doubleValue()).isEqualTo(19.50);
        String id = (String) order.get("orderId");
        // The version that took the order is in its id: another version's book never hands out the same one.
        assertThat(id).matches("ord-" + java.util.regex.Pattern.quote(server.getApplicationContext().getBean(Deployment.class).id()) + "-\\d+");
        assertThat(response.headers().firstValue("location")).hasValue("/api/orders/" + id);

        HttpResponse<String> again = http.get("/api/orders/" + id);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(http.object(again)).containsEntry("orderId", id).containsEntry("quantity", 3);
    }

    @Test
    void aV2ShapedOrderIsRefusedWithEveryProblemNamed() {
        HttpResponse<String> response = http.post("/api/orders",
                "{\"lines\":[{\"sku\":\"paper-filters\",\"quantity\":1}],\"customer\":{\"email\":\"ada@example.com\"}}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith(Problem.MEDIA_TYPE));
        Map<String, Object> problem = http.object(response);
        assertThat(problem).containsEntry("status", 422).containsEntry("schema", "v1")
                .containsEntry("deploymentId", "2026.11.20-1")
                .containsEntry("type", "urn:skewless:sample:problem:invalid-order");
        assertThat(http.errors(response)).extracting(e -> e.get("field"))
                .containsExactlyInAnyOrder("lines", "customer", "itemId", "quantity");
    }

    @Test
    void badValuesAreEachReportedByField() {
        HttpResponse<String> response = http.post("/api/orders", "{\"itemId\":\"no-such-thing\",\"quantity\":2.5}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(http.errors(response)).extracting(e -> e.get("field")).containsExactly("itemId", "quantity");
        assertThat(http.errors(response).get(0).get("message")).asString().contains("no item 'no-such-thing'");
        assertThat(http.errors(response).get(1).get("message")).asString().contains("whole number 1..99");
    }

    @Test
    void quantityOutOfRangeIsRefused() {
        assertThat(http.post("/api/orders", "{\"itemId\":\"paper-filters\",\"quantity\":0}").statusCode()).isEqualTo(422);
        assertThat(http.post("/api/orders", "{\"itemId\":\"paper-filters\",\"quantity\":100}").statusCode()).isEqualTo(422);
        assertThat(http.post("/api/orders", "{\"itemId\":\"paper-filters\",\"quantity\":\"2\"}").statusCode()).isEqualTo(422);
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        HttpResponse<String> response = http.post("/api/orders", "[1,2]");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(http.errors(response)).extracting(e -> e.get("field")).containsExactly("$");
    }

    @Test
    void anUnknownOrderIsAProblem404() {
        HttpResponse<String> response = http.get("/api/orders/ord-1");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(http.object(response)).containsEntry("type", "urn:skewless:sample:problem:order-not-found");
    }
}
