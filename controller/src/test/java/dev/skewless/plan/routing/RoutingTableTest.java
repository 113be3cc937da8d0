package dev.skewless.plan.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skewless.model.OnExpired;
import dev.skewless.model.RoutingSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theExpiredBodyNamesLive() throws Exception {
        RouteDecision.Respond r = RoutingTable.expiredResponse("shop", "v3");
        assertThat(r.status()).isEqualTo(410);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo("{\"error\":\"version_expired\",\"message\":\"This version of shop is no longer"
                + " available. Reload to get the current version.\",\"live\":\"v3\"}");
        assertThat(JSON.readTree(r.body()).get("live").asText()).isEqualTo("v3");
    }

    @Test
    void theExpiredBodyHasANullLiveWhenThereIsNone() throws Exception {
        JsonNode body = JSON.readTree(RoutingTable.expiredResponse("shop", null).body());
        assertThat(body.get("live").isNull()).isTrue();
    }

    @Test
    void theNoLiveBody() {
        RouteDecision.Respond r = RoutingTable.noLiveResponse("shop");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo("{\"error\":\"no_live_version\",\"message\":\"No version of shop is live yet.\"}");
    }

    @Test
    void bodiesEscapeWhatJsonNeeds() throws Exception {
        String app = "a\"b\\c\nd\u0001\u00e9\ud83d\ude80";
        JsonNode body = JSON.readTree(RoutingTable.noLiveResponse(app).body());
        assertThat(body.get("message").asText()).isEqualTo("No version of " + app + " is live yet.");
        assertThat(RoutingTable.noLiveResponse(app).body()).matches("\\p{ASCII}*");
    }

    @Test
    void bodiesFitAlbsLimitWhateverTheAppName() throws Exception {
        String app = "\ud83d\ude80".repeat(1000);
        for (RouteDecision.Respond r : List.of(RoutingTable.noLiveResponse(app), RoutingTable.expiredResponse(app, "v3"))) {
            assertThat(r.body().length()).isLessThanOrEqualTo(1024);
            assertThat(JSON.readTree(r.body()).get("message").asText()).contains("\ud83d\ude80");
        }
    }

    @Test
    void aLiveIdThatCannotFitTheBodyIsRefusedUpFront() {
        assertThatThrownBy(() -> new RoutingTable("shop", RoutingSpec.DEFAULT, List.of(), List.of(), false,
                "v".repeat(1000), null, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void carriersAreCheckedHeaderThenQueryThenCookie() {
        assertThat(table(RoutingSpec.DEFAULT).carriers()).containsExactly(Carrier.HEADER, Carrier.QUERY);
        assertThat(table(new RoutingSpec(null, null, "dpl", OnExpired.REJECT)).carriers())
                .containsExactly(Carrier.HEADER, Carrier.QUERY, Carrier.COOKIE);
    }

    private static RoutingTable table(RoutingSpec routing) {
        return new RoutingTable("shop", routing, List.of(), List.of(), false, "v1", null, List.of("v1"));
    }
}
