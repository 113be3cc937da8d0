package dev.skewless.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.skewless.engine.PassResult;
import dev.skewless.model.AppVersion;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.plan.observed.ObservedTargetGroup;
import dev.skewless.plan.routing.RuleCondition;
import dev.skewless.testing.SkewlessSimulation;
import dev.skewless.testing.TestingCloud;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * Random App deletions: a few versions released (every other one autoscaled), the newest maybe
 * still provisioning behind a lagging listing, some AppVersion records deleted too, then the App
 * deleted, with throttling / 5xx / timeouts injected and the process crashed after any number of
 * mutating calls (before or after the call applied). After every pass:
 * <ol>
 *   <li>rules before services: every rule of the App that routes requests forwards to a version
 *       whose service is still there, not scaled down;</li>
 *   <li>a version reported torn down has nothing left (where the listing does not lag; where it
 *       does, its record is released anyway and the App's teardown must still catch what the
 *       listing hid);</li>
 *   <li>the App is reported torn down only when nothing of it exists any more.</li>
 * </ol>
 * At the end the teardown is complete, a further pass does nothing and says so again, and nothing
 * foreign was touched.
 */
class TeardownProperties {
    private static final String APP = "shop";
    private static final int EXAMPLES = Integer.getInteger("skewless.teardownExamples", 300);
    private static final AtomicLong CASES = new AtomicLong();
    private static final AtomicLong PASSES = new AtomicLong();
    private static final AtomicLong CRASHES = new AtomicLong();
    private static final AtomicLong RULE_CHECKS = new AtomicLong();

    /**
     * @param seed            the cloud's fault seed
     * @param versions        versions released before the deletion
     * @param lastProvisioning the newest is deleted while still provisioning (behind a listing lag of {@code lag})
     * @param lag             observations a new resource stays unlisted
     * @param deletedVersions bit set of versions whose records are deleted with the App
     * @param faultRate       share of calls throttled, failed or timed out
     * @param crashAfter      mutating calls after which the process crashes (0: none)
     * @param crashAfterApply whether the crashing call applied first
     */
    record Case(long seed, int versions, boolean lastProvisioning, int lag, int deletedVersions, double faultRate,
            int crashAfter, boolean crashAfterApply) {}

    @Test
    void aDeletedAppLeavesNothingBehindWhateverCrashesAndFaultsHappen() {
        qt().withExamples(EXAMPLES).withShrinkCycles(100).forAll(cases()).checkAssert(this::run);
    }

    @AfterAll
    static void report() {
        System.out.printf("TeardownProperties: %d cases, %d passes (%d crashed), %d rule checks%n", CASES.get(), PASSES.get(),
                CRASHES.get(), RULE_CHECKS.get());
    }

    private void run(Case c) {
        CASES.incrementAndGet();
        SkewlessSimulation sim = new SkewlessSimulation(c.seed());
        String foreignRule = sim.cloud.addForeignRule(SkewlessSimulation.LISTENER, 1042,
                new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/admin/*"))),
                        new AlbAction.FixedResponse(403, "text/plain", "admin")), Map.of("owner", "platform-team"));
        String foreignTargetGroup = sim.cloud.addForeignTargetGroup("legacy-api", 8080, Map.of("owner", "platform-team"));
        sim.apply(SkewlessSimulation.app(APP, 1000));
        for (int i = 1; i <= c.versions(); i++) {
            sim.apply(i % 2 == 0 ? SkewlessSimulation.autoscaledVersion(APP, "v" + i) : SkewlessSimulation.version(APP, "v" + i));
            if (i == c.versions() && c.lastProvisioning()) {
                sim.cloud.listLag(c.lag());
                sim.pass(APP);
                sim.clock.advance(Duration.ofSeconds(5));
                sim.pass(APP);
            } else {
                sim.converge(APP);
            }
        }

        for (int i = 1; i <= c.versions(); i++) {
            if ((c.deletedVersions() & (1 << i)) != 0) {
                sim.deleteVersion(APP, "v" + i);
            }
        }
        sim.deleteApp(APP);
        sim.cloud.faults(new TestingCloud.FaultRates(c.faultRate(), c.faultRate(), c.faultRate() / 2));
        if (c.crashAfter() > 0) {
            sim.cloud.crashAfterMutations(c.crashAfter(),
                    c.crashAfterApply() ? TestingCloud.CrashPoint.AFTER_APPLY : TestingCloud.CrashPoint.BEFORE_APPLY);
        }

        boolean complete = false;
        for (int pass = 1; pass <= 120 && !complete; pass++) {
            if (pass == 40) {
                // Faults must end for a bound to hold; crashes and lag are over by then.
                sim.cloud.clearFaults();
            }
            PassResult r = pass(sim);
            check(sim, c, r);
            complete = r != null && r.teardownComplete();
            // The operator looks again this soon while anything is in flight.
            sim.clock.advance(Duration.ofSeconds(5));
        }
        assertThat(complete).as("teardown completes; left: %s", sim.cloud.resources().ofApp(APP)).isTrue();

        // Idempotent: nothing more to do, and it says so again.
        sim.cloud.clearFaults();
        sim.clock.advance(Duration.ofMinutes(1));
        PassResult again = sim.pass(APP);
        assertThat(again.actionsExecuted()).isZero();
        assertThat(again.teardownComplete()).isTrue();

        assertThat(sim.cloud.resources().ofApp(APP).isEmpty()).isTrue();
        assertThat(sim.cloud.scalableTargets()).isEmpty();
        assertThat(sim.cloud.scalingPolicies()).isEmpty();
        assertThat(sim.cloud.foreignMutations(OwnershipTags.DEFAULT_OWNER)).isEmpty();
        assertThat(sim.cloud.resources().rules()).anyMatch(r -> r.arn().equals(foreignRule) && r.priority() == 1042);
        assertThat(sim.cloud.resources().targetGroups()).anyMatch(t -> t.arn().equals(foreignTargetGroup));
    }

    /** One pass; a simulated crash is a process restart (the next pass starts from scratch). */
    private static PassResult pass(SkewlessSimulation sim) {
        PASSES.incrementAndGet();
        try {
            return sim.pass(APP);
        } catch (TestingCloud.SimulatedCrash crash) {
            CRASHES.incrementAndGet();
            return null;
        }
    }

    private static void check(SkewlessSimulation sim, Case c, PassResult r) {
        var resources = sim.cloud.resources().ofApp(APP);
        Map<String, ObservedTargetGroup> tgByArn = new HashMap<>();
        resources.targetGroups().forEach(t -> tgByArn.put(t.arn(), t));
        Map<String, ObservedService> serviceByVersion = new HashMap<>();
        resources.services().stream().filter(s -> s.status() == ObservedService.Status.ACTIVE)
                .forEach(s -> serviceByVersion.put(s.tags().get(OwnershipTags.VERSION), s));
        // 1: a rule that routes requests only ever forwards to a version whose service still runs.
        for (TestingCloud.RuleResource rule : resources.rules()) {
            if (rule.tags().getOrDefault(OwnershipTags.RULE_ROLE, "").startsWith("standby.")
                    || !(rule.spec().action() instanceof AlbAction.Forward forward)) {
                continue;
            }
            for (AlbAction.TargetGroupWeight w : forward.targetGroups()) {
                ObservedTargetGroup tg = tgByArn.get(w.targetGroupArn());
                assertThat(tg).as("rule %s forwards to an existing target group", rule.tags()).isNotNull();
                String version = tg.tags().get(OwnershipTags.VERSION);
                RULE_CHECKS.incrementAndGet();
                assertThat(serviceByVersion.get(version)).as("rule %s: the service of %s is still there", rule.tags(), version)
                        .isNotNull().satisfies(s -> assertThat(s.desiredCount()).isPositive());
            }
        }
        if (r == null) {
            return;
        }
        // 2: versions reported gone are gone (unless a lagging listing hid them: the App's teardown catches those).
        for (String id : r.versionsTornDown()) {
            if (c.lag() == 0 || !c.lastProvisioning()) {
                assertThat(resources.ofVersion(new VersionKey(APP, id)).isEmpty()).as("%s reported torn down", id).isTrue();
            }
            sim.store.releaseVersion(new VersionKey(APP, id));
        }
        // 3: the App is reported gone only when it is.
        if (r.teardownComplete()) {
            assertThat(resources.isEmpty()).as("complete, yet left: %s", resources).isTrue();
            assertThat(sim.cloud.scalableTargets()).isEmpty();
            List<AppVersion> left = sim.store.listVersions(APP);
            assertThat(left).allMatch(v -> v.status().phase() == dev.skewless.model.Phase.Retired, "every version Retired");
        }
    }

    private static Gen<Case> cases() {
        return in -> new Case(
                in.next(Constraint.between(0, Integer.MAX_VALUE)),
                (int) in.next(Constraint.between(1, 4)),
                in.next(Constraint.between(0, 1)) == 1,
                (int) in.next(Constraint.between(0, 4)),
                (int) in.next(Constraint.between(0, 31)),
                new double[] {0, 0.05, 0.15, 0.3}[(int) in.next(Constraint.between(0, 3))],
                (int) in.next(Constraint.between(0, 12)),
                in.next(Constraint.between(0, 1)) == 1);
    }
}
