package dev.skewless.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.observed.ObservedTargetGroup;
import dev.skewless.testing.TestingCloud.CallOutcome;
import dev.skewless.testing.TestingCloud.CrashPoint;
import dev.skewless.testing.TestingCloud.FaultRates;
import dev.skewless.testing.TestingCloud.Operation;
import dev.skewless.testing.TestingCloud.SimulatedCrash;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestingCloudFaultsTest extends TestingCloudCase {
    @Test
    void throttlingAndTransientErrorsHappenBeforeApplying() {
        cloud.faults(Operation.CREATE_TARGET_GROUP, new FaultRates(1, 0, 0));
        assertFails(() -> targetGroup(V1), Kind.THROTTLED, "Throttling");
        cloud.faults(Operation.CREATE_TARGET_GROUP, new FaultRates(0, 1, 0));
        assertFails(() -> targetGroup(V1), Kind.TRANSIENT, "ServiceUnavailable");

        assertThat(cloud.resources().targetGroups()).isEmpty();
        assertThat(cloud.calls(Operation.CREATE_TARGET_GROUP, CallOutcome.THROTTLED)).isEqualTo(1);
        assertThat(cloud.calls(Operation.CREATE_TARGET_GROUP, CallOutcome.TRANSIENT)).isEqualTo(1);
        assertThat(cloud.journal()).isEmpty();
    }

    @Test
    void aTimeoutAppliesTheChangeButReportsAFailure() {
        cloud.faults(Operation.CREATE_TARGET_GROUP, new FaultRates(0, 0, 1));
        assertFails(() -> targetGroup(V1), Kind.TRANSIENT, "RequestTimeout");
        assertThat(cloud.resources().targetGroups()).hasSize(1);

        cloud.clearFaults();
        String again = targetGroup(V1);
        assertThat(cloud.resources().targetGroups()).extracting(ObservedTargetGroup::arn).containsExactly(again);
        assertThat(cloud.calls(Operation.CREATE_TARGET_GROUP, CallOutcome.TIMEOUT)).isEqualTo(1);
        assertThat(cloud.calls(Operation.CREATE_TARGET_GROUP, CallOutcome.OK)).isEqualTo(1);
    }

    @Test
    void describeCallsFailToo() {
        cloud.faults(Operation.OBSERVE_COMPUTE, new FaultRates(1, 0, 0));
        assertFails(() -> compute.observe(app("shop")), Kind.THROTTLED, "Throttling");
        router.observe(app("shop"));
        assertThat(cloud.describeCalls()).isEqualTo(2);
    }

    @Test
    void faultsAreReproducibleFromTheSeed() {
        assertThat(outcomes(42)).isEqualTo(outcomes(42)).isNotEqualTo(outcomes(43));
    }

    List<String> outcomes(long seed) {
        TestingCloud c = new TestingCloud(new TestingClock(), seed).addLoadBalancer(LB).addListener(LISTENER, LB, NOT_FOUND_404);
        c.faults(new FaultRates(0.2, 0.2, 0.2));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            try {
                c.router().createRule(LISTENER, i + 1, rule("v" + i, NOT_FOUND_404), ours(V1));
                out.add("ok");
            } catch (ActionException e) {
                out.add(e.code());
            }
        }
        return out;
    }

    @Test
    void aCrashBeforeApplyingChangesNothing() {
        compute.observe(app("shop"));
        cloud.crashAfterMutations(2, CrashPoint.BEFORE_APPLY);
        router.observe(app("shop"));
        targetGroup(V1);

        assertThatThrownBy(() -> targetGroup(V2)).isInstanceOf(SimulatedCrash.class).isInstanceOf(Error.class);
        assertThat(cloud.resources().targetGroups()).hasSize(1);
        targetGroup(V2);
        assertThat(cloud.calls(CallOutcome.CRASHED)).as("one-shot").isEqualTo(1);
    }

    @Test
    void aCrashAfterApplyingLeavesTheChange() {
        cloud.crashAfterMutations(1, CrashPoint.AFTER_APPLY);
        assertThatThrownBy(() -> targetGroup(V1)).isInstanceOf(SimulatedCrash.class);
        assertThat(cloud.resources().targetGroups()).hasSize(1);
        assertThat(cloud.journal()).extracting(TestingCloud.Mutation::operation).containsExactly(Operation.CREATE_TARGET_GROUP);
    }

    @Test
    void clearFaultsDisarmsACrash() {
        cloud.crashAfterMutations(1, CrashPoint.BEFORE_APPLY).clearFaults();
        targetGroup(V1);
    }
}
