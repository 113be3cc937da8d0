package dev.skewless.plan.routing;

import static dev.skewless.plan.routing.RequestBuilder.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.plan.routing.AlbListenerModel.Rule;
import dev.skewless.plan.routing.RuleCondition.HostHeader;
import dev.skewless.plan.routing.RuleCondition.HttpHeader;
import dev.skewless.plan.routing.RuleCondition.KeyValue;
import dev.skewless.plan.routing.RuleCondition.PathPattern;
import dev.skewless.plan.routing.RuleCondition.QueryString;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle itself: ALB's documented matching, checked on its own. */
class AlbListenerModelTest {

    static final RouteDecision DEFAULT = new RouteDecision.Respond(404, "text/plain", "default");

    static Rule rule(int priority, String name, RuleCondition... conditions) {
        return new Rule(priority, List.of(conditions), new RouteDecision.Respond(200, "text/plain", name), name);
    }

    static boolean matches(RuleCondition c, RequestBuilder r) {
        return AlbListenerModel.matches(c, r.build());
    }

    @Test
    void theLowestPriorityMatchingRuleWinsWhateverTheListOrder() {
        var any = new PathPattern(List.of("/*"));
        var listener = new AlbListenerModel(List.of(rule(20, "late", any), rule(5, "early", any),
                rule(1, "other", new PathPattern(List.of("/other")))), DEFAULT);
        assertThat(listener.evaluate(get("/x").build()).name()).isEqualTo("early");
    }

    @Test
    void theDefaultActionTakesWhatNoRuleMatches() {
        var listener = new AlbListenerModel(List.of(rule(1, "api", new PathPattern(List.of("/api/*")))), DEFAULT);
        assertThat(listener.evaluate(get("/x").build()).action()).isEqualTo(DEFAULT);
        assertThat(listener.evaluate(get("/x").build()).rule()).isNull();
    }

    @Test
    void allConditionsOfARuleMustMatch() {
        var listener = new AlbListenerModel(List.of(rule(1, "both",
                new PathPattern(List.of("/api/*")), new HttpHeader("x-a", List.of("1")))), DEFAULT);
        assertThat(listener.evaluate(get("/api/x").build()).name()).isEqualTo("default");
        assertThat(listener.evaluate(get("/api/x").header("x-a", "1").build()).name()).isEqualTo("both");
    }

    @Test
    void pathsMatchCaseSensitivelyWithWildcards() {
        assertThat(matches(new PathPattern(List.of("/api/*")), get("/api/a/b"))).isTrue();
        assertThat(matches(new PathPattern(List.of("/api/*")), get("/API/a"))).isFalse();
        assertThat(matches(new PathPattern(List.of("/v?")), get("/v1"))).isTrue();
        assertThat(matches(new PathPattern(List.of("/v?")), get("/v"))).isFalse();
        assertThat(matches(new PathPattern(List.of("/a.c")), get("/abc"))).as("no regex leaks").isFalse();
        assertThat(matches(new PathPattern(List.of("/x", "/y")), get("/y"))).isTrue();
    }

    @Test
    void hostsMatchCaseInsensitively() {
        assertThat(matches(new HostHeader(List.of("*.Example.com")), get("/").host("APP.example.COM"))).isTrue();
        assertThat(matches(new HostHeader(List.of("*")), get("/").host(null))).isFalse();
    }

    @Test
    void headersMatchAnyValueCaseInsensitively() {
        var h = new HttpHeader("X-Deployment-Id", List.of("v1"));
        assertThat(matches(h, get("/").header("x-deployment-id", "V1"))).isTrue();
        assertThat(matches(h, get("/").header("x-deployment-id", "v2", "v1"))).isTrue();
        assertThat(matches(h, get("/").header("x-deployment-id", "v1, v2"))).isFalse();
        var any = new HttpHeader("x-deployment-id", List.of("*"));
        assertThat(matches(any, get("/").header("x-deployment-id", ""))).isTrue();
        assertThat(matches(any, get("/"))).isFalse();
    }

    @Test
    void asteriskMatchesAcrossCookieSeparators() {
        var pin = new HttpHeader("Cookie", List.of("dpl=v1", "dpl=v1;*", "*; dpl=v1", "*; dpl=v1;*"));
        assertThat(matches(pin, get("/").cookie("a=b; dpl=v1; c=d"))).isTrue();
        assertThat(matches(pin, get("/").cookie("a=b; xdpl=v1"))).isFalse();
        assertThat(matches(pin, get("/").cookie("dpl=v10"))).isFalse();
    }

    @Test
    void queryPairsMatchKeyAndValueCaseInsensitively() {
        var q = new QueryString(List.of(new KeyValue("dpl", "v1")));
        assertThat(matches(q, get("/").query("DPL", "V1"))).isTrue();
        assertThat(matches(q, get("/").query("dpl", "v2").query("dpl", "v1"))).isTrue();
        assertThat(matches(q, get("/").query("dpl", "v2").query("x", "v1"))).isFalse();
        assertThat(matches(new QueryString(List.of(new KeyValue("dpl", "*"))), get("/").query("dpl", null))).isTrue();
        assertThat(matches(new QueryString(List.of(new KeyValue(null, "v?"))), get("/").query("any", "v7"))).isTrue();
    }

    @Test
    void refusesListenersAlbWouldRefuse() {
        var any = new PathPattern(List.of("/*"));
        assertThatThrownBy(() -> new AlbListenerModel(List.of(rule(1, "a", any), rule(1, "b", any)), DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AlbListenerModel(List.of(rule(1, "empty")), DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AlbListenerModel(List.of(rule(1, "two paths", any, any)), DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
