package dev.skewless.router.alb;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.skewless.aws.AwsClientFactory;
import dev.skewless.aws.MotoAccount;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.action.TargetGroupSpec;
import dev.skewless.plan.observed.ObservedListener;
import dev.skewless.plan.observed.ObservedRule;
import dev.skewless.plan.observed.ObservedTargetGroup;
import dev.skewless.plan.routing.RuleCondition;
import dev.skewless.router.TrafficRouter.Observation;
import dev.skewless.testing.TestingClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * {@link AlbTrafficRouter} against a real moto_server. moto does not run ECS tasks, so it never
 * registers targets: tests that need healthy targets register made-up IPs themselves (moto then
 * reports them healthy).
 */
class AlbTrafficRouterTest {
    private static final String OWNER = OwnershipTags.DEFAULT_OWNER;
    private static final HealthCheckSpec HEALTH = new HealthCheckSpec("/healthz", Duration.ofSeconds(10), Duration.ofSeconds(4), 3, 2, "200-299");

    private MotoAccount account;
    private ElasticLoadBalancingV2Client setup;
    private AlbTrafficRouter router;
    private App app;

    @BeforeEach
    void setUp() {
        account = MotoAccount.fresh().withNetwork();
        setup = account.setupElb();
        router = new AlbTrafficRouter(account.clients.elbv2(), new RequestCounts(account.clients.cloudWatch()), OWNER,
                InstantSource.system(), Duration.ofMinutes(5));
        app = app("shop", null);
    }

    @AfterEach
    void tearDown() {
        setup.close();
        account.close();
    }

    @Test
    void targetGroupRoundTripsWithVpcFromTheListenerHealthCheckDelayAndTags() {
        VersionKey v1 = new VersionKey("shop", "v1");
        TargetGroupSpec spec = targetGroup(v1);
        String arn = router.createTargetGroup(spec);
        assertThat(router.createTargetGroup(spec)).as("an identical create answers the same group").isEqualTo(arn);

        var tg = setup.describeTargetGroups(b -> b.targetGroupArns(arn)).targetGroups().getFirst();
        assertThat(tg.vpcId()).isEqualTo(account.vpcId);
        assertThat(tg.targetTypeAsString()).isEqualTo("ip");
        assertThat(tg.protocolAsString()).isEqualTo("HTTP");

        // moto does not run ECS tasks: register made-up task IPs so there are healthy targets.
        setup.registerTargets(b -> b.targetGroupArn(arn).targets(t -> t.id("10.0.1.10").port(8080), t -> t.id("10.0.2.10").port(8080)));
        ObservedTargetGroup observed = router.observe(app).targetGroups().getFirst();
        assertThat(observed).isEqualTo(new ObservedTargetGroup(arn, spec.name(), 8080, HEALTH, Duration.ofSeconds(30), 2, 2, spec.tags()));
    }

    @Test
    void updateTargetGroupChangesHealthCheckAndDelay() {
        VersionKey v1 = new VersionKey("shop", "v1");
        String arn = router.createTargetGroup(targetGroup(v1));
        HealthCheckSpec other = new HealthCheckSpec("/ready", Duration.ofSeconds(20), Duration.ofSeconds(5), 2, 4, "200");
        TargetGroupSpec changed = new TargetGroupSpec(ResourceNames.targetGroup(v1), 8080, null, account.listenerArn, other,
                Duration.ofSeconds(5), OwnershipTags.forVersion(OWNER, v1));
        router.updateTargetGroup(arn, changed);
        ObservedTargetGroup observed = fresh().observe(app).targetGroups().getFirst();
        assertThat(observed.healthCheck()).isEqualTo(other);
        assertThat(observed.deregistrationDelay()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void rulesRoundTripForEveryConditionKindWeightedForwardAndFixedResponse() {
        String tg1 = router.createTargetGroup(targetGroup(new VersionKey("shop", "v1")));
        String tg2 = router.createTargetGroup(targetGroup(new VersionKey("shop", "v2")));
        ListenerRuleSpec pin = new ListenerRuleSpec(List.of(
                new RuleCondition.PathPattern(List.of("/api/*")),
                new RuleCondition.HostHeader(List.of("shop.example.com")),
                new RuleCondition.HttpHeader("x-deployment-id", List.of("v1"))), AlbAction.Forward.to(tg1));
        ListenerRuleSpec query = new ListenerRuleSpec(List.of(
                new RuleCondition.PathPattern(List.of("/api/*")),
                new RuleCondition.QueryString(List.of(new RuleCondition.KeyValue("dpl", "v1"), new RuleCondition.KeyValue(null, "v1*")))),
                AlbAction.Forward.to(tg1));
        ListenerRuleSpec canary = new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/api/*", "/ws/*"))),
                new AlbAction.Forward(List.of(new AlbAction.TargetGroupWeight(tg1, 90), new AlbAction.TargetGroupWeight(tg2, 10))));
        ListenerRuleSpec expired = new ListenerRuleSpec(List.of(new RuleCondition.HttpHeader("x-deployment-id", List.of("*"))),
                new AlbAction.FixedResponse(410, "application/json", "{\"error\":\"version expired\",\"live\":\"v2\"}"));
        Map<String, String> pinTags = tagsWithRole(OwnershipTags.forVersion(OWNER, new VersionKey("shop", "v1")), "pin.header.v1");
        Map<String, String> appTags = tagsWithRole(OwnershipTags.forApp(OWNER, "shop"), "unpinned");
        String a = router.createRule(account.listenerArn, 100, pin, pinTags);
        String b = router.createRule(account.listenerArn, 101, query, pinTags);
        String c = router.createRule(account.listenerArn, 102, canary, appTags);
        String d = router.createRule(account.listenerArn, 103, expired, appTags);

        ObservedListener listener = router.observe(app).listener();
        assertThat(listener.rules()).containsExactly(
                new ObservedRule(a, 100, pin, pinTags), new ObservedRule(b, 101, query, pinTags),
                new ObservedRule(c, 102, canary, appTags), new ObservedRule(d, 103, expired, appTags));
        assertThat(listener.defaultAction()).isEqualTo(new AlbAction.FixedResponse(404, "text/plain", "no route"));
        assertThat(listener.loadBalancerRuleCount()).isEqualTo(4);
        assertThat(listener.loadBalancerTargetGroupCount()).isEqualTo(2);
    }

    @Test
    void modifiesMovesDeletesRulesAndSetsTheDefaultAction() {
        String tg1 = router.createTargetGroup(targetGroup(new VersionKey("shop", "v1")));
        Map<String, String> tags = tagsWithRole(OwnershipTags.forApp(OWNER, "shop"), "navigation");
        ListenerRuleSpec before = new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/a"))), AlbAction.Forward.to(tg1));
        ListenerRuleSpec after = new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/b"))),
                new AlbAction.FixedResponse(503, "text/plain", "busy"));
        String r1 = router.createRule(account.listenerArn, 100, before, tags);
        String r2 = router.createRule(account.listenerArn, 101, before, tags);

        router.modifyRule(r1, after);
        // AWS applies SetRulePriorities atomically (swaps work); moto checks each pair against the
        // current priorities, so move to free priorities here.
        router.setRulePriorities(account.listenerArn, Map.of(r1, 110, r2, 111));
        router.setDefaultAction(account.listenerArn, AlbAction.Forward.to(tg1));
        router.deleteRule(r2);
        router.deleteRule(r2);

        ObservedListener listener = router.observe(app).listener();
        assertThat(listener.rules()).containsExactly(new ObservedRule(r1, 110, after, tags));
        assertThat(listener.defaultAction()).isEqualTo(AlbAction.Forward.to(tg1));
    }

    @Test
    void foreignRulesAndTargetGroupsAreListedButNeverTouched() {
        String ours = router.createTargetGroup(targetGroup(new VersionKey("shop", "v1")));
        // Another team's group, named like ours and tagged for our App, but not managed by skewless.
        String foreignGroup = setup.createTargetGroup(b -> b.name("skl-shop-foreign").protocol(ProtocolEnum.HTTP).port(80)
                .vpcId(account.vpcId).targetType(TargetTypeEnum.IP).tags(t -> t.key(OwnershipTags.APP).value("shop")))
                .targetGroups().getFirst().targetGroupArn();
        String foreignRule = setup.createRule(b -> b.listenerArn(account.listenerArn).priority(5)
                .conditions(c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/admin/*")))
                .actions(x -> x.type(ActionTypeEnum.FORWARD).targetGroupArn(foreignGroup))
                .tags(t -> t.key("team").value("other"))).rules().getFirst().ruleArn();
        String ourRule = router.createRule(account.listenerArn, 100,
                new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/api/*"))), AlbAction.Forward.to(ours)),
                tagsWithRole(OwnershipTags.forApp(OWNER, "shop"), "unpinned"));

        Observation o = router.observe(app);
        assertThat(o.listener().rules()).extracting(ObservedRule::arn).containsExactly(foreignRule, ourRule);
        assertThat(o.listener().rules().getFirst().tags()).containsEntry("team", "other");
        assertThat(o.targetGroups()).extracting(ObservedTargetGroup::arn).containsExactlyInAnyOrder(ours, foreignGroup);

        ListenerRuleSpec anything = new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/x"))), AlbAction.Forward.to(ours));
        assertNotOwned(() -> router.modifyRule(foreignRule, anything));
        assertNotOwned(() -> router.deleteRule(foreignRule));
        assertNotOwned(() -> router.setRulePriorities(account.listenerArn, Map.of(foreignRule, 6, ourRule, 101)));
        assertNotOwned(() -> router.updateTargetGroup(foreignGroup, targetGroup(new VersionKey("shop", "v1"))));
        assertNotOwned(() -> router.deleteTargetGroup(foreignGroup));

        var rule = setup.describeRules(b -> b.ruleArns(foreignRule)).rules().getFirst();
        assertThat(rule.priority()).isEqualTo("5");
        assertThat(rule.conditions().getFirst().pathPatternConfig().values()).containsExactly("/admin/*");
        assertThat(setup.describeRules(b -> b.ruleArns(ourRule)).rules().getFirst().priority()).as("nothing moved").isEqualTo("100");
        assertThat(setup.describeTargetGroups(b -> b.targetGroupArns(foreignGroup)).targetGroups()).hasSize(1);
        assertThat(account.metrics.count("ModifyRule") + account.metrics.count("DeleteRule") + account.metrics.count("SetRulePriorities")
                + account.metrics.count("ModifyTargetGroup") + account.metrics.count("DeleteTargetGroup")).isZero();
    }

    @Test
    void failuresAreClassified() {
        String tg1 = router.createTargetGroup(targetGroup(new VersionKey("shop", "v1")));
        ListenerRuleSpec spec = new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/a"))), AlbAction.Forward.to(tg1));
        Map<String, String> tags = tagsWithRole(OwnershipTags.forApp(OWNER, "shop"), "unpinned");
        String r1 = router.createRule(account.listenerArn, 100, spec, tags);
        String r2 = router.createRule(account.listenerArn, 101, spec, tags);

        assertKind(() -> router.createRule(account.listenerArn, 100, spec, tags), Kind.CONFLICT, "PriorityInUse");
        assertKind(() -> router.setRulePriorities(account.listenerArn, Map.of(r1, 101)), Kind.CONFLICT, "PriorityInUse");
        assertKind(() -> router.deleteTargetGroup(tg1), Kind.CONFLICT, "ResourceInUse");
        TargetGroupSpec clash = new TargetGroupSpec(ResourceNames.targetGroup(new VersionKey("shop", "v1")), 9090, null,
                account.listenerArn, HEALTH, Duration.ofSeconds(30), OwnershipTags.forVersion(OWNER, new VersionKey("shop", "v1")));
        assertKind(() -> router.createTargetGroup(clash), Kind.CONFLICT, "DuplicateTargetGroupName");
        assertKind(() -> router.createTargetGroup(new TargetGroupSpec("-not_a_name-", 8080, null, account.listenerArn, HEALTH,
                Duration.ofSeconds(30), tags)), Kind.INVALID, null);
        assertKind(() -> router.createRule(account.listenerArn, 200, new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(
                List.of("/b"))), AlbAction.Forward.to(tg1.replaceAll("[0-9a-f]+$", "0000"))), tags), Kind.NOT_FOUND, "TargetGroupNotFound");

        router.deleteRule(r1);
        router.deleteRule(r2);
        assertKind(() -> router.modifyRule(r1, spec), Kind.NOT_FOUND, null);
        router.deleteTargetGroup(tg1);
        router.deleteTargetGroup(tg1);
        assertThat(router.observe(app).targetGroups()).isEmpty();
    }

    @Test
    void observeListsRulesOnceAndReadsTagsTwentyAtATime() {
        String tg = router.createTargetGroup(targetGroup(new VersionKey("shop", "v1")));
        for (int i = 0; i < 25; i++) {
            router.createRule(account.listenerArn, 100 + i,
                    new ListenerRuleSpec(List.of(new RuleCondition.HttpHeader("x-deployment-id", List.of("v" + i))), AlbAction.Forward.to(tg)),
                    tagsWithRole(OwnershipTags.forApp(OWNER, "shop"), "pin.header.v" + i));
        }
        double rules = account.metrics.count("DescribeRules");
        double tags = account.metrics.count("DescribeTags");

        assertThat(router.observe(app).listener().rules()).hasSize(25);
        assertThat(account.metrics.count("DescribeRules") - rules).isEqualTo(1);
        assertThat(account.metrics.count("DescribeTags") - tags).as("2 for 25 rules, 1 for the target group").isEqualTo(3);
    }

    @Test
    void lastRequestAtIsUnknownWithoutAnIdleWindowOrWhenCloudWatchCannotBeRead() {
        router.createTargetGroup(targetGroup(new VersionKey("shop", "v1")));
        assertThat(router.observe(app).lastRequestAt()).isEmpty();
        assertThat(account.metrics.count("GetMetricData")).isZero();

        // moto 5.2.1 does not speak the Smithy RPCv2 CBOR protocol SDK 2.57's CloudWatch client
        // uses, so GetMetricData fails here: the pass goes on with traffic unknown.
        App idle = app("shop", Duration.ofHours(1));
        assertThat(router.observe(idle).lastRequestAt()).isEmpty();
        assertThat(account.metrics.count("GetMetricData")).isEqualTo(1);
    }

    @Test
    void lastRequestAtPerVersionFromOneGetMetricDataCallNeverBeforeTheGroupWasFirstSeen() {
        WireMockServer cloudWatch = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        cloudWatch.start();
        try (AwsClientFactory cwClients = new AwsClientFactory(MotoAccount.settings(URI.create(cloudWatch.baseUrl())), account.metrics);
                CloudWatchClient cw = cwClients.cloudWatch()) {
            TestingClock clock = new TestingClock(Instant.parse("2026-11-25T12:00:00Z"));
            AlbTrafficRouter timed = new AlbTrafficRouter(account.clients.elbv2(), new RequestCounts(cw), OWNER, clock, Duration.ofMinutes(5));
            timed.createTargetGroup(targetGroup(new VersionKey("shop", "v1")));
            timed.createTargetGroup(targetGroup(new VersionKey("shop", "v2")));
            clock.advance(Duration.ofHours(3));
            Instant busy = clock.instant().minus(Duration.ofMinutes(20));
            // Query ids follow the order of the observed groups: tg0 is the first one listed.
            cloudWatch.stubFor(post(urlEqualTo(RequestCountsTest.GET_METRIC_DATA)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/cbor").withHeader("smithy-protocol", "rpc-v2-cbor")
                    .withBody(RequestCountsTest.metricData(Map.of("tg0", List.of(busy)), List.of(12.0)))));

            Observation o = timed.observe(app("shop", Duration.ofHours(1)));
            String first = o.targetGroups().getFirst().tags().get(OwnershipTags.VERSION);
            String second = o.targetGroups().get(1).tags().get(OwnershipTags.VERSION);
            assertThat(o.lastRequestAt()).containsEntry(new VersionKey("shop", first), busy.plusSeconds(60))
                    .containsEntry(new VersionKey("shop", second), clock.instant().minus(Duration.ofHours(1)));
            cloudWatch.verify(1, postRequestedFor(urlEqualTo(RequestCountsTest.GET_METRIC_DATA)));

            // A group created within the window has been idle only since it was created.
            timed.createTargetGroup(targetGroup(new VersionKey("shop", "v3")));
            Instant created = clock.instant();
            clock.advance(Duration.ofMinutes(10));
            assertThat(timed.observe(app("shop", Duration.ofHours(1))).lastRequestAt()).containsEntry(new VersionKey("shop", "v3"), created);
        } finally {
            cloudWatch.stop();
        }
    }

    @Test
    void aMissingListenerIsReportedAsNull() {
        App lost = new App(app.metadata(), new AppSpec(app.spec().platform(), new RouterSpec(account.listenerArn.replaceAll("[0-9a-f]+$", "0000"),
                new PriorityRange(100, 199), List.of("/api/*"), List.of(), null, false, null), null, null, null, null), null);
        assertThat(router.observe(lost).listener()).isNull();
    }

    private AlbTrafficRouter fresh() {
        return new AlbTrafficRouter(account.clients.elbv2(), null, OWNER, InstantSource.system(), Duration.ofMinutes(5));
    }

    private TargetGroupSpec targetGroup(VersionKey key) {
        return new TargetGroupSpec(ResourceNames.targetGroup(key), 8080, null, account.listenerArn, HEALTH, Duration.ofSeconds(30),
                OwnershipTags.forVersion(OWNER, key));
    }

    private static Map<String, String> tagsWithRole(Map<String, String> tags, String role) {
        Map<String, String> out = new HashMap<>(tags);
        out.put(OwnershipTags.RULE_ROLE, role);
        return Map.copyOf(out);
    }

    private static void assertNotOwned(ThrowingCallable call) {
        assertKind(call, Kind.INVALID, "NotOwned");
    }

    private static void assertKind(ThrowingCallable call, Kind kind, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ActionException.class, e -> {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
            if (code != null) {
                assertThat(e.code()).isEqualTo(code);
            }
        });
    }

    private App app(String name, Duration idleExpiry) {
        PlatformSpec platform = new PlatformSpec("apps", List.of("subnet-1"), List.of("sg-1"), "arn:aws:iam::123456789012:role/exec",
                null, "/skewless/" + name, false, 1);
        String listener = account.listenerArn;
        RouterSpec routerSpec = new RouterSpec(listener, new PriorityRange(100, 199), List.of("/api/*"), List.of(), null, false, null);
        RetentionSpec retention = new RetentionSpec(null, null, null, idleExpiry, 0);
        return new App(new ObjectMeta(name, null, Map.of(), 1, null), new AppSpec(platform, routerSpec, null, retention, null, null), null);
    }
}
