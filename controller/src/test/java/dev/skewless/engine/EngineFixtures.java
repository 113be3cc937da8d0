package dev.skewless.engine;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.action.ServiceSpec;
import dev.skewless.plan.action.TargetGroupSpec;
import dev.skewless.plan.action.TaskDefinitionSpec;
import dev.skewless.plan.routing.RuleCondition;
import dev.skewless.testing.TestingCloud;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/** Records and specs shared by the engine tests. */
final class EngineFixtures {
    static final String LB = TestingCloud.loadBalancerArn("shared");
    static final String LISTENER = TestingCloud.listenerArn("shared", 443);
    static final String CLUSTER = "apps";
    static final String OWNER = OwnershipTags.DEFAULT_OWNER;

    private EngineFixtures() {}

    /** A cloud with one load balancer, one listener (fixed 404 default) and one cluster. */
    static TestingCloud cloud(InstantSource clock) {
        return new TestingCloud(clock)
                .addLoadBalancer(LB)
                .addListener(LISTENER, LB, new AlbAction.FixedResponse(404, "text/plain", "not found"))
                .addCluster(CLUSTER);
    }

    static App app(String name) {
        return new App(ObjectMeta.ofApp(name), new AppSpec(
                new PlatformSpec(CLUSTER, List.of("subnet-1"), List.of("sg-1"), "arn:aws:iam::123456789012:role/exec",
                        null, "/skewless/" + name, false, 1),
                new RouterSpec(LISTENER, new PriorityRange(100, 199), List.of("/api/*"), List.of(), Duration.ofSeconds(30),
                        false, null),
                null, null, null, null), null);
    }

    static AppVersion version(String app, String id) {
        return new AppVersion(ObjectMeta.ofVersion(app, id),
                new AppVersionSpec("registry.example/api:" + id, 256, 512, 2, 8080, Map.of(), Map.of(), null, null, false),
                null);
    }

    static TargetGroupSpec targetGroup(VersionKey key) {
        return new TargetGroupSpec(ResourceNames.targetGroup(key), 8080, null, LISTENER,
                HealthCheckSpec.DEFAULT, Duration.ofSeconds(30), OwnershipTags.forVersion(OWNER, key));
    }

    static TaskDefinitionSpec taskDefinition(VersionKey key, int cpu, int memory) {
        return new TaskDefinitionSpec(ResourceNames.taskFamily(key), ResourceNames.container(key),
                "registry.example/api:" + key.version(), cpu, memory, 8080, Map.of(), Map.of(),
                "arn:aws:iam::123456789012:role/exec", null, "/skewless/" + key.app(),
                HealthCheckSpec.DEFAULT, "hash", OwnershipTags.forVersion(OWNER, key));
    }

    static ServiceSpec service(VersionKey key, String taskDefinitionArn, String targetGroupArn, int desired) {
        return new ServiceSpec(CLUSTER, ResourceNames.service(key), taskDefinitionArn, desired, List.of("subnet-1"),
                List.of("sg-1"), false, targetGroupArn, ResourceNames.container(key), 8080,
                OwnershipTags.forVersion(OWNER, key));
    }

    /** A rule pinned to {@code version} that answers 410 (no target group needed). */
    static ListenerRuleSpec rejectRule(String version) {
        return new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/api/*")),
                new RuleCondition.HttpHeader("x-deployment-id", List.of(version))),
                new AlbAction.FixedResponse(410, "application/json", "{}"));
    }

    /** A pin rule spec: header carrier for {@code version}, forwarding to {@code targetGroupArn}. */
    static ListenerRuleSpec pinRule(String version, String targetGroupArn) {
        return new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/api/*")),
                new RuleCondition.HttpHeader("x-deployment-id", List.of(version))), AlbAction.Forward.to(targetGroupArn));
    }
}
