package dev.skewless.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.action.ServiceSpec;
import dev.skewless.plan.action.TargetGroupSpec;
import dev.skewless.plan.action.TaskDefinitionSpec;
import dev.skewless.plan.observed.ObservedRule;
import dev.skewless.plan.routing.RuleCondition;
import dev.skewless.platform.ComputePlatform;
import dev.skewless.router.TrafficRouter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared setup of the TestingCloud tests: one ALB with two listeners, one cluster. */
abstract class TestingCloudCase {
    static final String OWNER = OwnershipTags.DEFAULT_OWNER;
    static final String LB = TestingCloud.loadBalancerArn("shared");
    static final String LISTENER = TestingCloud.listenerArn("shared", 443);
    static final String OTHER_LISTENER = TestingCloud.listenerArn("shared", 8443);
    static final String CLUSTER = "apps";
    static final VersionKey V1 = new VersionKey("shop", "v1");
    static final VersionKey V2 = new VersionKey("shop", "v2");
    static final AlbAction NOT_FOUND_404 = new AlbAction.FixedResponse(404, "text/plain", "not found");

    final TestingClock clock = new TestingClock();
    final TestingCloud cloud = new TestingCloud(clock)
            .addLoadBalancer(LB)
            .addListener(LISTENER, LB, NOT_FOUND_404)
            .addListener(OTHER_LISTENER, LB, NOT_FOUND_404)
            .addCluster(CLUSTER);
    final TrafficRouter router = cloud.router();
    final ComputePlatform compute = cloud.compute();

    // ---- fixtures ----

    static App app(String name) {
        return new App(ObjectMeta.ofApp(name), new AppSpec(
                new PlatformSpec(CLUSTER, List.of("subnet-1"), List.of("sg-1"), "arn:aws:iam::123456789012:role/exec", null,
                        "/logs", false, 1),
                new RouterSpec(LISTENER, new PriorityRange(100, 199), List.of("/api/*"), List.of(), null, false, null),
                null, null, null, null), null);
    }

    static TargetGroupSpec tgSpec(VersionKey key) {
        return tgSpec(ResourceNames.targetGroup(key), 8080, OwnershipTags.forVersion(OWNER, key));
    }

    static TargetGroupSpec tgSpec(String name, int port, Map<String, String> tags) {
        return new TargetGroupSpec(name, port, null, LISTENER, HealthCheckSpec.DEFAULT, Duration.ofSeconds(30), tags);
    }

    static ListenerRuleSpec rule(String header, AlbAction action) {
        return new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/api/*")),
                new RuleCondition.HttpHeader("x-deployment-id", List.of(header))), action);
    }

    static TaskDefinitionSpec tdSpec(VersionKey key, String image, int cpu, int memory) {
        return new TaskDefinitionSpec(ResourceNames.taskFamily(key), "shop", image, cpu, memory, 8080, Map.of(), Map.of(),
                "arn:aws:iam::123456789012:role/exec", null, "/logs", HealthCheckSpec.DEFAULT, "h",
                OwnershipTags.forVersion(OWNER, key));
    }

    static ServiceSpec serviceSpec(VersionKey key, String taskDefinitionArn, String targetGroupArn, int desired) {
        return new ServiceSpec(CLUSTER, ResourceNames.service(key), taskDefinitionArn, desired, List.of("subnet-1"),
                List.of("sg-1"), false, targetGroupArn, "shop", 8080, OwnershipTags.forVersion(OWNER, key));
    }

    static Map<String, String> ours(VersionKey key) {
        return OwnershipTags.forVersion(OWNER, key);
    }

    static ActionException failure(ThrowingCallable call) {
        return catchThrowableOfType(ActionException.class, call);
    }

    static void assertFails(ThrowingCallable call, Kind kind, String code) {
        ActionException e = failure(call);
        assertThat(e).as("expected %s %s", kind, code).isNotNull();
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.code()).isEqualTo(code);
    }

    String targetGroup(VersionKey key) {
        return router.createTargetGroup(tgSpec(key));
    }

    List<ObservedRule> listedRules() {
        return router.observe(app("shop")).listener().rules();
    }
}
