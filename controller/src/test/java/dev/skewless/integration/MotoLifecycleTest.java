package dev.skewless.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.integration.MotoWorld.Res;
import dev.skewless.model.Phase;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.routing.HttpRequest;
import dev.skewless.testing.SkewlessSimulation;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole engine on moto: records in a DynamoDB table, the real planner and reconciler, the ECS
 * and ALB providers. v1 goes live, v2 is promoted, v1 stays reachable by its pins (evaluated with
 * the ALB model over the rules moto lists), then v1's retention ends and its rules, service, target
 * group and task definitions go. Every resource seen on the way carries the ownership tags.
 */
class MotoLifecycleTest {
    private final MotoWorld world = new MotoWorld();

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void v1LiveThenV2PromotedThenV1ExpiresAndIsRemoved() {
        MotoWorld.Controller controller = world.controller();
        Set<String> seen = new HashSet<>();
        world.afterEachPass.add(w -> {
            MotoWorld.Inventory inv = w.inventory();
            assertThat(inv.foreign()).as("nothing in this account is foreign: every resource is ours and tagged").isEmpty();
            inv.all().forEach(MotoLifecycleTest::assertOwnershipTags);
            inv.all().forEach(r -> seen.add(r.kind() + ":" + (r.role() != null ? r.role() : r.version())));
        });

        world.applyApp("v1");
        world.applyVersion("v1");
        world.converge(controller, w -> w.phase("v1") == Phase.Live, 30);
        assertThat(world.target(SkewlessSimulation.unpinned())).isEqualTo("v1");
        assertThat(world.target(SkewlessSimulation.pinned("v1"))).isEqualTo("v1");

        world.applyVersion("v2");
        world.converge(controller, w -> w.phase("v2") == Phase.Ready, 30);
        assertThat(world.target(SkewlessSimulation.unpinned())).as("v2 is ready, not live").isEqualTo("v1");
        assertThat(world.target(SkewlessSimulation.pinned("v2"))).as("a ready version is pinnable").isEqualTo("v2");

        world.applyApp("v2");
        world.converge(controller, w -> w.phase("v2") == Phase.Live && w.phase("v1") == Phase.Superseded, 30);
        MotoWorld.Inventory both = world.inventory();
        assertThat(MotoWorld.countBy(both.targetGroups(), Res::version)).isEqualTo(Map.of("v1", 1L, "v2", 1L));
        assertThat(MotoWorld.countBy(both.services(), Res::version)).isEqualTo(Map.of("v1", 1L, "v2", 1L));
        assertThat(MotoWorld.countBy(both.taskDefinitions(), Res::version)).isEqualTo(Map.of("v1", 1L, "v2", 1L));
        assertThat(both.rules()).extracting(Res::role).containsExactly("navigate", "pin.header.v2", "pin.header.v1", "expired.header",
                "pin.query.v2", "pin.query.v1", "expired.query", "unpinned");

        // Routing as the ALB decides over the rules moto lists.
        assertThat(world.target(SkewlessSimulation.unpinned())).isEqualTo("v2");
        assertThat(world.target(SkewlessSimulation.pinned("v1"))).as("v1 still routed by its header pin").isEqualTo("v1");
        assertThat(world.target(SkewlessSimulation.pinnedByQuery("v1"))).as("v1 still routed by its query pin").isEqualTo("v1");
        assertThat(world.target(SkewlessSimulation.pinned("v2"))).isEqualTo("v2");
        assertThat(world.target(SkewlessSimulation.pinnedByQuery("v2"))).isEqualTo("v2");
        assertThat(world.target(SkewlessSimulation.navigation("v1"))).as("page loads go live, never pinned").isEqualTo("v2");
        assertThat(world.target(SkewlessSimulation.pinned("v0"))).as("unknown pin: 410").isEqualTo("410");
        assertThat(world.target(new HttpRequest("app.example.com", "/other", Map.of("x-deployment-id", List.of("v1")), List.of())))
                .as("outside the App's paths: the listener default").isEqualTo("404");
        assertThat(world.target(SkewlessSimulation.pinned("v1"))).isEqualTo("v1");
        for (int i = 0; i < 3; i++) {
            world.clock.advance(MotoWorld.STEP);
            assertThat(controller.pass().actionsExecuted()).as("steady while v1 is retained").isZero();
        }

        String v1TaskDefinition = both.taskDefinitions().stream().filter(r -> "v1".equals(r.version())).findFirst().orElseThrow().arn();
        String v1Service = both.services().stream().filter(r -> "v1".equals(r.version())).findFirst().orElseThrow().arn();

        // Past v1's retention (window 1 h): rules first, then drain, scale to 0, service, target group.
        world.clock.advance(Duration.ofHours(1));
        int passes = world.converge(controller, w -> w.phase("v1") == Phase.Retired && w.inventory().ours().stream()
                .noneMatch(r -> "v1".equals(r.version())), 40);
        assertThat(passes).isGreaterThan(1);
        MotoWorld.Inventory after = world.inventory();
        assertThat(after.ours()).noneMatch(r -> "v1".equals(r.version()));
        assertThat(after.rules()).extracting(Res::role).containsExactly("navigate", "pin.header.v2", "expired.header", "pin.query.v2",
                "expired.query", "unpinned");
        assertThat(MotoWorld.countBy(after.targetGroups(), Res::version)).isEqualTo(Map.of("v2", 1L));
        assertThat(MotoWorld.countBy(after.services(), Res::version)).isEqualTo(Map.of("v2", 1L));
        assertThat(MotoWorld.countBy(after.taskDefinitions(), Res::version)).as("v1's task definition deregistered")
                .isEqualTo(Map.of("v2", 1L));
        assertThat(world.ecs.describeTaskDefinition(b -> b.taskDefinition(v1TaskDefinition)).taskDefinition().statusAsString())
                .as("v1's revision deregistered").isEqualTo("INACTIVE");
        assertThat(world.ecs.describeServices(b -> b.cluster(MotoWorld.CLUSTER).services(v1Service)).services())
                .singleElement().satisfies(s -> assertThat(s.status()).as("v1's service deleted").isEqualTo("INACTIVE"));
        assertThat(world.target(SkewlessSimulation.pinned("v1"))).as("an expired pin is rejected").isEqualTo("410");
        assertThat(world.target(SkewlessSimulation.pinnedByQuery("v1"))).isEqualTo("410");
        assertThat(world.target(SkewlessSimulation.unpinned())).isEqualTo("v2");

        // Everything the controller ever made was seen and checked, standby rules included.
        assertThat(seen).contains("rule:standby.v1", "rule:standby.v2", "rule:navigate", "rule:unpinned", "rule:expired.header",
                "rule:expired.query", "rule:pin.header.v1", "rule:pin.query.v1", "targetGroup:v1", "targetGroup:v2", "service:v1",
                "service:v2", "taskDefinition:v1", "taskDefinition:v2");
    }

    /** Version resources: managed-by, app, version; app-wide rules: managed-by, app, rule. */
    static void assertOwnershipTags(Res r) {
        assertThat(r.tags()).as("%s %s", r.kind(), r.name()).containsEntry(OwnershipTags.MANAGED_BY, OwnershipTags.DEFAULT_OWNER)
                .containsEntry(OwnershipTags.APP, MotoWorld.APP);
        if (r.kind().equals("rule")) {
            String role = r.role();
            assertThat(role).as("rule role tag").isNotNull();
            if (role.startsWith("pin.") || role.startsWith("standby.")) {
                assertThat(r.tags().keySet()).as("version rule %s", role).containsExactlyInAnyOrder(OwnershipTags.MANAGED_BY,
                        OwnershipTags.APP, OwnershipTags.VERSION, OwnershipTags.RULE_ROLE);
                assertThat(role).endsWith("." + r.version());
            } else {
                assertThat(r.tags().keySet()).as("app-wide rule %s", role).containsExactlyInAnyOrder(OwnershipTags.MANAGED_BY,
                        OwnershipTags.APP, OwnershipTags.RULE_ROLE);
            }
        } else {
            assertThat(r.tags()).as("%s %s", r.kind(), r.name()).containsKey(OwnershipTags.VERSION);
        }
    }
}
