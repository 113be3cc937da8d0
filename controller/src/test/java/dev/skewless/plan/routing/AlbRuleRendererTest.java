package dev.skewless.plan.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.OnExpired;
import dev.skewless.model.RoutingSpec;
import dev.skewless.plan.routing.RouteDecision.Forward;
import dev.skewless.plan.routing.RouteDecision.WeightedVersion;
import dev.skewless.plan.routing.RoutingTable.CanarySplit;
import dev.skewless.plan.routing.RuleCondition.HostHeader;
import dev.skewless.plan.routing.RuleCondition.HttpHeader;
import dev.skewless.plan.routing.RuleCondition.KeyValue;
import dev.skewless.plan.routing.RuleCondition.PathPattern;
import dev.skewless.plan.routing.RuleCondition.QueryString;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlbRuleRendererTest {

    static final RoutingSpec ALL_CARRIERS = new RoutingSpec(null, null, "dpl", OnExpired.REJECT);
    static final List<String> ROUTABLE = List.of("v3", "v2", "v1");

    static RoutingTable table(RoutingSpec routing, List<String> paths, List<String> hosts, boolean ownsListener,
            String live, CanarySplit canary) {
        return new RoutingTable("shop", routing, paths, hosts, ownsListener, live, canary, ROUTABLE);
    }

    static RoutingTable table(RoutingSpec routing) {
        return table(routing, List.of("/api/*"), List.of(), false, "v3", null);
    }

    static RenderedRule rule(RenderedRules rendered, String tag) {
        return rendered.rules().stream().filter(r -> r.role().tagValue().equals(tag)).findFirst().orElseThrow();
    }

    @Test
    void rulesRunNavigationThenPinsAndCatchAllPerCarrierThenUnpinned() {
        RenderedRules rendered = AlbRuleRenderer.render(table(ALL_CARRIERS));
        assertThat(rendered.rules()).extracting(r -> r.role().tagValue()).containsExactly(
                "navigate",
                "pin.header.v3", "pin.header.v2", "pin.header.v1", "expired.header",
                "pin.query.v3", "pin.query.v2", "pin.query.v1", "expired.query",
                "pin.cookie.v3", "pin.cookie.v2", "pin.cookie.v1", "expired.cookie",
                "unpinned");
        assertThat(rendered.listenerDefault()).isNull();
    }

    @Test
    void everyRuleStartsWithTheAppsScoping() {
        var scoping = List.<RuleCondition>of(new PathPattern(List.of("/api/*", "/ws")), new HostHeader(List.of("app.example.com")));
        RenderedRules rendered = AlbRuleRenderer.render(
                table(RoutingSpec.DEFAULT, List.of("/api/*", "/ws"), List.of("app.example.com"), false, "v3", null));
        assertThat(AlbRuleRenderer.scoping(table(RoutingSpec.DEFAULT, List.of("/api/*", "/ws"),
                List.of("app.example.com"), false, "v3", null))).isEqualTo(scoping);
        for (RenderedRule r : rendered.rules()) {
            assertThat(r.conditions().subList(0, 2)).as(r.role().tagValue()).isEqualTo(scoping);
        }
        assertThat(rule(rendered, "unpinned").conditions()).isEqualTo(scoping);
    }

    @Test
    void hostsAloneScopeTheRules() {
        RenderedRules rendered = AlbRuleRenderer.render(
                table(RoutingSpec.DEFAULT, List.of(), List.of("*.example.com"), false, "v3", null));
        assertThat(rule(rendered, "unpinned").conditions()).containsExactly(new HostHeader(List.of("*.example.com")));
    }

    @Test
    void anUnscopedAppUsesAnyPathSinceAlbRulesNeedACondition() {
        RenderedRules rendered = AlbRuleRenderer.render(table(RoutingSpec.DEFAULT, List.of(), List.of(), true, "v3", null));
        for (RenderedRule r : rendered.rules()) {
            assertThat(r.conditions().get(0)).isEqualTo(new PathPattern(List.of("/*")));
        }
    }

    @Test
    void conditionsHaveTheAlbShapes() {
        RenderedRules rendered = AlbRuleRenderer.render(table(ALL_CARRIERS));
        assertThat(rule(rendered, "navigate").conditions().get(1))
                .isEqualTo(new HttpHeader("Sec-Fetch-Mode", List.of("navigate")));
        assertThat(rule(rendered, "pin.header.v2").conditions().get(1))
                .isEqualTo(new HttpHeader("x-deployment-id", List.of("v2")));
        assertThat(rule(rendered, "expired.header").conditions().get(1))
                .isEqualTo(new HttpHeader("x-deployment-id", List.of("*")));
        assertThat(rule(rendered, "pin.query.v2").conditions().get(1))
                .isEqualTo(new QueryString(List.of(new KeyValue("dpl", "v2"))));
        assertThat(rule(rendered, "expired.query").conditions().get(1))
                .isEqualTo(new QueryString(List.of(new KeyValue("dpl", "*"))));
        assertThat(rule(rendered, "pin.cookie.v2").conditions().get(1))
                .isEqualTo(new HttpHeader("Cookie", List.of("dpl=v2", "dpl=v2;*", "*; dpl=v2", "*; dpl=v2;*")));
        assertThat(rule(rendered, "expired.cookie").conditions().get(1))
                .isEqualTo(new HttpHeader("Cookie", List.of("dpl=*", "*; dpl=*")));
    }

    @Test
    void customCarrierNamesAreRendered() {
        RenderedRules rendered = AlbRuleRenderer.render(table(new RoutingSpec("X-Build", "b", "skew", OnExpired.REJECT)));
        assertThat(rule(rendered, "pin.header.v1").conditions().get(1)).isEqualTo(new HttpHeader("X-Build", List.of("v1")));
        assertThat(rule(rendered, "pin.query.v1").conditions().get(1))
                .isEqualTo(new QueryString(List.of(new KeyValue("b", "v1"))));
        assertThat(rule(rendered, "expired.cookie").conditions().get(1))
                .isEqualTo(new HttpHeader("Cookie", List.of("skew=*", "*; skew=*")));
    }

    @Test
    void actionsFollowTheTable() {
        RenderedRules rendered = AlbRuleRenderer.render(
                table(ALL_CARRIERS, List.of("/api/*"), List.of(), false, "v3", new CanarySplit("v2", 25)));
        assertThat(rule(rendered, "navigate").action()).isEqualTo(Forward.to("v3"));
        assertThat(rule(rendered, "pin.cookie.v1").action()).isEqualTo(Forward.to("v1"));
        assertThat(rule(rendered, "expired.query").action()).isEqualTo(RoutingTable.expiredResponse("shop", "v3"));
        assertThat(rule(rendered, "unpinned").action())
                .isEqualTo(new Forward(List.of(new WeightedVersion("v3", 75), new WeightedVersion("v2", 25))));
    }

    @Test
    void fallbackCatchAllsForwardToLive() {
        RenderedRules rendered = AlbRuleRenderer.render(table(new RoutingSpec(null, null, null, OnExpired.FALLBACK)));
        assertThat(rule(rendered, "expired.header").action()).isEqualTo(Forward.to("v3"));
        assertThat(rule(rendered, "expired.query").action()).isEqualTo(Forward.to("v3"));
    }

    @Test
    void withoutLiveWhatWouldGoToLiveGetsThe503() {
        RenderedRules rendered = AlbRuleRenderer.render(
                table(new RoutingSpec(null, null, null, OnExpired.FALLBACK), List.of("/api/*"), List.of(), false, null, null));
        RouteDecision noLive = RoutingTable.noLiveResponse("shop");
        assertThat(rule(rendered, "navigate").action()).isEqualTo(noLive);
        assertThat(rule(rendered, "expired.header").action()).isEqualTo(noLive);
        assertThat(rule(rendered, "unpinned").action()).isEqualTo(noLive);
    }

    @Test
    void anAppOwningTheListenerPutsUnpinnedInTheDefaultAction() {
        RoutingTable t = table(RoutingSpec.DEFAULT, List.of(), List.of(), true, "v3", new CanarySplit("v1", 5));
        RenderedRules rendered = AlbRuleRenderer.render(t);
        assertThat(rendered.rules()).noneMatch(r -> r.role().kind() == RuleRole.Kind.UNPINNED);
        assertThat(rendered.listenerDefault()).isEqualTo(t.unpinnedDecision());
    }

    @Test
    void withoutCookieThereAreNoCookieRules() {
        assertThat(AlbRuleRenderer.render(table(RoutingSpec.DEFAULT)).rules())
                .noneMatch(r -> r.role().carrier() == Carrier.COOKIE);
    }

    @Test
    void withNothingRoutableOnlyCatchAllsRemainForPins() {
        RoutingTable t = new RoutingTable("shop", RoutingSpec.DEFAULT, List.of("/api/*"), List.of(), false, null, null,
                List.of());
        assertThat(AlbRuleRenderer.render(t).rules()).extracting(r -> r.role().tagValue())
                .containsExactly("navigate", "expired.header", "expired.query", "unpinned");
    }

    @Test
    void conditionValuesAreScopingPlusTheCarriersShare() {
        RenderedRules oneScope = AlbRuleRenderer.render(table(ALL_CARRIERS));
        assertThat(rule(oneScope, "navigate").conditionValueCount()).isEqualTo(2);
        assertThat(rule(oneScope, "pin.header.v1").conditionValueCount()).isEqualTo(2);
        assertThat(rule(oneScope, "pin.query.v1").conditionValueCount()).isEqualTo(2);
        assertThat(rule(oneScope, "pin.cookie.v1").conditionValueCount()).isEqualTo(1 + 4);
        assertThat(rule(oneScope, "expired.cookie").conditionValueCount()).isEqualTo(1 + 2);
        assertThat(rule(oneScope, "unpinned").conditionValueCount()).isEqualTo(1);

        RenderedRules twoScopes = AlbRuleRenderer.render(
                table(ALL_CARRIERS, List.of("/api/*"), List.of("app.example.com"), false, "v3", null));
        assertThat(rule(twoScopes, "pin.cookie.v1").conditionValueCount())
                .as("over ALB's 5 per rule: the planner reports it").isEqualTo(2 + 4);
    }

    @Test
    void everyRoleSurvivesItsTag() {
        RoutingTable t = new RoutingTable("shop", ALL_CARRIERS, List.of("/api/*"), List.of(), false, "2026.11.25-1",
                null, List.of("2026.11.25-1", "v1.2"));
        for (RenderedRule r : AlbRuleRenderer.render(t).rules()) {
            assertThat(RuleRole.parse(r.role().tagValue())).contains(r.role());
        }
    }
}
