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

/** The shop API in schema v2 (the breaking release), over real HTTP. */
@MicronautTest
@Property(name = "deployment.id", value = "2026.11.25-1")
@Property(name = "api.schema", value = "v2")
class V2ShopApiTest {

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
    @SuppressWarnings("unchecked")
    void itemsAreRenamedAndMoneyIsInMinorUnits() {
        HttpResponse<String> response = http.get("/api/items");

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = http.object(response);
        assertThat(body).containsEntry("count", 4);
        List<Map<String, Object>> items = (List<Map<String, Object>>) body.get("items");
        assertThat(items.getFirst()).containsOnlyKeys("sku", "title", "price", "inStock");
        assertThat(items.getFirst()).containsEntry("sku", "espresso-beans").containsEntry("title", "Espresso beans, 1 kg");
        assertThat((Map<String, Object>) items.getFirst().get("price"))
                .containsEntry("amountMinor", 2450).containsEntry("currency", "EUR");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aV2OrderWithSeveralLinesIsPlaced() {
        HttpResponse<String> response = http.post("/api/orders", """
                {"lines":[{"sku":"paper-filters","quantity":2},{"sku":"espresso-beans","quantity":1}],
                 "customer":{"email":"ada@example.com"}}""");

        assertThat(response.statusCode()).isEqualTo(201);
        Map<String, Object> order = (Map<String, Object>) http.object(response).get("order");
        assertThat(order).containsOnlyKeys("id", "lines", "total", "customer", "status", "placedAt");
        assertThat(order).containsEntry("status", "CONFIRMED");
        assertThat((Map<String, Object>) order.get("total")).containsEntry("amountMinor", 2 * 650 + 2450);
        assertThat((Map<String, Object>) order.get("customer")).containsEntry("email", "ada@example.com");
        assertThat((List<Map<String, Object>>) order.get("lines")).extracting(l -> l.get("sku"))
                .containsExactly("paper-filters", "espresso-beans");

        HttpResponse<String> again = http.get("/api/orders/" + order.get("id"));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat((Map<String, Object>) http.object(again).get("order")).containsEntry("id", order.get("id"));
    }

    @Test
    void aV1ClientsOrderIsRefused_theBreakingChange() {
        HttpResponse<String> response = http.post("/api/orders", "{\"itemId\":\"paper-filters\",\"quantity\":1}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("x-deployment-id")).hasValue("2026.11.25-1");
        Map<String, Object> problem = http.object(response);
        assertThat(problem).containsEntry("schema", "v2").containsEntry("status", 422);
        assertThat(problem.get("detail")).asString().contains("API schema v2");
        assertThat(http.errors(response)).extracting(e -> e.get("field"))
                .containsExactlyInAnyOrder("itemId", "quantity", "lines", "customer.email");
        assertThat(http.errors(response)).filteredOn(e -> e.get("field").equals("itemId"))
                .extracting(e -> e.get("message")).singleElement().asString().contains("lines[].sku");
    }

    @Test
    void theCustomersEmailIsRequiredAndChecked() {
        HttpResponse<String> missing = http.post("/api/orders", "{\"lines\":[{\"sku\":\"paper-filters\",\"quantity\":1}]}");
        HttpResponse<String> bad = http.post("/api/orders",
                "{\"lines\":[{\"sku\":\"paper-filters\",\"quantity\":1}],\"customer\":{\"email\":\"not-an-address\"}}");

        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(http.errors(missing)).extracting(e -> e.get("field")).containsExactly("customer.email");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(http.errors(bad)).extracting(e -> e.get("message")).singleElement().asString().contains("e-mail");
    }

    @Test
    void everyBadLineIsReportedByIndex() {
        HttpResponse<String> response = http.post("/api/orders", """
                {"lines":[{"sku":"paper-filters","quantity":1},{"sku":"nope","quantity":0},"x",{"sku":"burr-grinder","qty":1}],
                 "customer":{"email":"ada@example.com"}}""");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(http.errors(response)).extracting(e -> e.get("field"))
                .containsExactly("lines[1].sku", "lines[1].quantity", "lines[2]", "lines[3].qty", "lines[3].quantity");
    }

    @Test
    void emptyLinesAreRefused() {
        HttpResponse<String> response = http.post("/api/orders", "{\"lines\":[],\"customer\":{\"email\":\"ada@example.com\"}}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(http.errors(response)).extracting(e -> e.get("field")).containsExactly("lines");
    }

    @Test
    void orderingMoreThanTheStockIsAConflictAndTakesNothing() {
        // 11 lines of 99 each exceed the 1000 units in stock; the first line alone would fit
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            lines.append(i == 0 ? "" : ",").append("{\"sku\":\"burr-grinder\",\"quantity\":99}");
        }
        HttpResponse<String> response = http.post("/api/orders",
                "{\"lines\":[" + lines + "],\"customer\":{\"email\":\"ada@example.com\"}}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(http.object(response)).containsEntry("type", "urn:skewless:sample:problem:out-of-stock");
        assertThat(http.errors(response)).extracting(e -> e.get("field")).containsExactly("lines[10].quantity");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) http.object(http.get("/api/items")).get("items");
        assertThat(items).filteredOn(i -> i.get("sku").equals("burr-grinder")).extracting(i -> i.get("inStock"))
                .containsExactly(1000);
    }
}
