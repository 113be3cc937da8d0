package dev.skewless.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.engine.PassResult;
import dev.skewless.integration.MotoWorld.Res;
import dev.skewless.model.App;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.testing.DelegatingVersionStore;
import dev.skewless.testing.MotoServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * Deleting an App on moto, through the real providers and planner: v1 superseded, v2 live and
 * autoscaled, a foreign rule and target group on the same listener. The App's record is then
 * marked deleted as the Kubernetes store shows a record the operator's finalizer holds; passes
 * run until the plan says the teardown is complete. By then every rule, service, target group,
 * task definition, scalable target and scaling policy the App owned is gone, the listener rules
 * went before any service, and the foreign rule and target group are untouched.
 */
class MotoTeardownTest {
    private static final AutoscalingSpec CPU = new AutoscalingSpec(2, 4, 60, null, null, null);

    private final MotoWorld world = new MotoWorld();
    private final ApplicationAutoScalingClient aas = ApplicationAutoScalingClient.builder()
            .endpointOverride(MotoServer.shared().endpoint()).region(Region.of(MotoServer.REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
            .build();

    @AfterEach
    void close() {
        aas.close();
        world.close();
    }

    /** The DynamoDB records, with the App shown as being deleted once {@link #deletedAt} is set. */
    private static final class DeletionMarks extends DelegatingVersionStore {
        volatile Instant deletedAt;

        DeletionMarks(MotoWorld world) {
            super(world.store);
        }

        private App marked(App app) {
            Instant at = deletedAt;
            return at != null && app.name().equals(MotoWorld.APP) ? app.withMetadata(app.metadata().deletingSince(at)) : app;
        }

        @Override
        public Optional<App> getApp(String name) {
            return delegate.getApp(name).map(this::marked);
        }

        @Override
        public List<App> listApps() {
            return delegate.listApps().stream().map(this::marked).toList();
        }
    }

    @Test
    void aDeletedAppTakesEveryAwsResourceItOwnedWithItAndLeavesTheForeignRule() {
        String foreignTargetGroup = world.elb.createTargetGroup(b -> b.name("team-b-api").protocol(ProtocolEnum.HTTP).port(9000)
                .vpcId(world.account.vpcId)).targetGroups().getFirst().targetGroupArn();
        String foreignRule = world.elb.createRule(b -> b.listenerArn(world.account.listenerArn).priority(10)
                .conditions(c -> c.field("path-pattern").values("/team-b/*"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(foreignTargetGroup))).rules().getFirst().ruleArn();
        DeletionMarks records = new DeletionMarks(world);
        MotoWorld.Controller controller = world.new Controller(MotoServer.shared().endpoint(), records, () -> true, c -> c, r -> r);

        world.applyApp("latest");
        world.applyVersion("v1");
        world.converge(controller, w -> w.phase("v1") == Phase.Live, 30);
        world.applyVersion("v2", CPU);
        world.converge(controller, w -> w.phase("v2") == Phase.Live && w.phase("v1") == Phase.Superseded, 40);
        MotoWorld.Inventory before = world.inventory();
        assertThat(MotoWorld.countBy(before.services(), Res::version)).isEqualTo(Map.of("v1", 1L, "v2", 1L));
        assertThat(before.rules().stream().filter(Res::ours)).hasSize(8);
        assertThat(aas.describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.ECS)).scalableTargets()).hasSize(1);

        records.deletedAt = world.clock.instant();
        boolean rulesGone = false;
        PassResult last = null;
        for (int pass = 1; pass <= 40 && (last == null || !last.teardownComplete()); pass++) {
            world.clock.advance(MotoWorld.STEP);
            last = controller.pass();
            assertThat(last.outcome()).as("pass %d: %s", pass, last.error()).isEqualTo(PassResult.Outcome.SUCCEEDED);
            MotoWorld.Inventory inv = world.inventory();
            boolean anyOurRule = inv.rules().stream().anyMatch(Res::ours);
            rulesGone |= !anyOurRule;
            boolean servicesIntact = inv.services().stream().filter(Res::ours).count() == 2
                    && inv.services().stream().filter(Res::ours).noneMatch(s -> s.name().endsWith("desired=0"));
            assertThat(rulesGone || servicesIntact).as("pass %d: services change only once the App's rules are gone: %s", pass, inv)
                    .isTrue();
            if (last.teardownComplete()) {
                assertThat(inv.ours()).as("complete only when nothing is left").isEmpty();
            }
        }
        assertThat(last.teardownComplete()).as("teardown completes; left: %s", world.inventory()).isTrue();

        MotoWorld.Inventory after = world.inventory();
        assertThat(after.ours()).isEmpty();
        assertThat(aas.describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.ECS)).scalableTargets()).isEmpty();
        assertThat(aas.describeScalingPolicies(b -> b.serviceNamespace(ServiceNamespace.ECS)).scalingPolicies()).isEmpty();
        for (String v : List.of("v1", "v2")) {
            var status = world.store.getVersion(new VersionKey(MotoWorld.APP, v)).orElseThrow().status();
            assertThat(status.phase()).isEqualTo(Phase.Retired);
            assertThat(status.expiryReason()).isEqualTo("AppDeleted");
        }
        // The foreign rule and target group, untouched.
        assertThat(world.rules()).singleElement().satisfies((Rule r) -> {
            assertThat(r.ruleArn()).isEqualTo(foreignRule);
            assertThat(r.priority()).isEqualTo("10");
            assertThat(r.actions().getFirst().targetGroupArn()).isEqualTo(foreignTargetGroup);
        });
        assertThat(after.targetGroups()).extracting(Res::arn).containsExactly(foreignTargetGroup);

        // Nothing more to do: no mutating call, and complete again.
        double mutations = controller.mutations();
        world.clock.advance(MotoWorld.STEP);
        assertThat(controller.pass().teardownComplete()).isTrue();
        assertThat(controller.mutations()).isEqualTo(mutations);
    }
}
