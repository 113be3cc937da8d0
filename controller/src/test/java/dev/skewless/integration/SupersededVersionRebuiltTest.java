package dev.skewless.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.testing.SkewlessSimulation;
import dev.skewless.testing.TestingCloud;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Regression (found by {@code MotoDriftTest}): a superseded version whose pin rules and target
 * group an operator deleted is provisioned again at its retained size, and must become routable
 * (Superseded, pinned again) at that size. It used to wait for its full {@code desiredCount},
 * which it is never scaled to, so it stayed Provisioning until the provisioning timeout failed it.
 */
class SupersededVersionRebuiltTest {

    @Test
    void aSupersededVersionRebuiltAfterItsRulesAndTargetGroupWereDeletedIsPinnedAgain() {
        SkewlessSimulation sim = new SkewlessSimulation(1);
        sim.apply(SkewlessSimulation.app("shop", 100));
        sim.apply(SkewlessSimulation.version("shop", "v1"));
        sim.converge("shop");
        sim.apply(SkewlessSimulation.version("shop", "v2"));
        sim.converge("shop");
        assertThat(sim.phases("shop")).containsEntry("v1", Phase.Superseded).containsEntry("v2", Phase.Live);
        assertThat(sim.target(SkewlessSimulation.pinned("v1"))).isEqualTo("v1");

        TestingCloud.Resources v1 = sim.cloud.resources().ofVersion(new VersionKey("shop", "v1"));
        v1.rules().forEach(r -> sim.cloud.deleteRuleOutOfBand(r.arn()));
        sim.cloud.router().deleteTargetGroup(v1.targetGroups().getFirst().arn());
        assertThat(sim.target(SkewlessSimulation.pinned("v1"))).isEqualTo("410");

        sim.clock.advance(Duration.ofSeconds(10));
        sim.converge("shop");
        assertThat(sim.phases("shop")).containsEntry("v1", Phase.Superseded).containsEntry("v2", Phase.Live);
        assertThat(sim.target(SkewlessSimulation.pinned("v1"))).isEqualTo("v1");
        assertThat(sim.target(SkewlessSimulation.pinnedByQuery("v1"))).isEqualTo("v1");
        assertThat(sim.cloud.resources().ofVersion(new VersionKey("shop", "v1")).services()).singleElement()
                .satisfies(s -> assertThat(s.desiredCount()).as("retained size").isEqualTo(1));
        assertThat(sim.cloud.resources().ofVersion(new VersionKey("shop", "v1")).rules())
                .extracting(r -> r.tags().get(OwnershipTags.RULE_ROLE)).containsExactlyInAnyOrder("pin.header.v1", "pin.query.v1");
    }
}
