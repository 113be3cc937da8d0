package dev.skewless.scenario;

import static dev.skewless.testing.SkewlessSimulation.pinned;
import static dev.skewless.testing.SkewlessSimulation.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.skewless.engine.PassResult;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.Phase;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.ScalableTargetSpec;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.plan.observed.ObservedTargetGroup;
import dev.skewless.plan.routing.RuleCondition;
import dev.skewless.testing.SkewlessSimulation;
import dev.skewless.testing.TestingCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * Random histories of one App: releases, promotions, rollbacks, revokes, AppVersion records deleted
 * (as Kubernetes does with a finalizer: released once the plan says the version is torn down), canaries, clock jumps,
 * a lowered {@code maxVersions}, rules deleted by hand, throttling / 5xx / timeouts injected into
 * a share of AWS calls, listings that lag behind writes (eventual consistency), and process
 * crashes between any two mutating calls. After every pass the
 * invariants of the brief are checked against what exists in the (in-memory) cloud; at the end,
 * with faults off, the App must converge within a bounded number of passes with nothing orphaned.
 *
 * <ol>
 *   <li>a version that became routable keeps routing its pinned requests until it expires or is
 *       revoked (and it cannot expire before {@code supersededAt + retention.min});</li>
 *   <li>unpinned and navigation traffic only ever goes to a Ready or Live version;</li>
 *   <li>nothing without skewless ownership tags is modified or deleted;</li>
 *   <li>once faults stop, a bounded number of passes converges, with no orphaned or duplicate
 *       resource;</li>
 *   <li>no version gets traffic before it is healthy;</li>
 *   <li>no pass leaves a pinned, retained version without a rule (checked with 1 after every
 *       pass, crashed ones included);</li>
 *   <li>no scalable target outlives its service; after a successful pass only the live version
 *       and the canary have a scaling policy, and an autoscaled live version runs within
 *       {@code [minCount, maxCount]}; converged, exactly the autoscaled live version and canary
 *       have a target and a policy (Application Auto Scaling's own scaling and targets
 *       deregistered by hand are part of the histories).</li>
 * </ol>
 */
class ReconcileHistoryProperties {
    private static final String APP = "shop";
    private static final int EXAMPLES = Integer.getInteger("skewless.historyExamples", 1000);
    private static final Duration MIN_RETENTION = Duration.ofMinutes(10);
    private static final AtomicLong HISTORIES = new AtomicLong();
    private static final AtomicLong STEPS = new AtomicLong();
    private static final AtomicLong PASSES = new AtomicLong();
    private static final AtomicLong CRASHES = new AtomicLong();
    private static final AtomicLong FAILED_PASSES = new AtomicLong();
    private static final AtomicLong PIN_CHECKS = new AtomicLong();
    private static final AtomicLong AUTOSCALED_PASSES = new AtomicLong();
    private static final AtomicLong RELEASED_VERSIONS = new AtomicLong();

    /** One thing that happens to the App between two passes. */
    sealed interface Step {
        record Deploy() implements Step {}
        record Promote(int pick) implements Step {}
        record FollowLatest() implements Step {}
        record Revoke(int pick) implements Step {}
        record DeleteVersion(int pick) implements Step {}
        record Canary(int pick, int weight) implements Step {}
        record Advance(Duration by) implements Step {}
        record MaxVersions(int n) implements Step {}
        record DeleteRuleByHand(int pick) implements Step {}
        record Faults(double throttle, double transientError, double timeout) implements Step {}
        record Crash(int afterMutations, boolean afterApply) implements Step {}
        record ListLag(int observations) implements Step {}
        record Autoscale(int pick, int desired) implements Step {}
        record DeregisterTargetByHand(int pick) implements Step {}
    }

    record History(long seed, List<Step> steps) {}

    @Test
    void invariantsHoldOverRandomHistoriesWithFaultsAndCrashes() {
        qt().withExamples(EXAMPLES).withShrinkCycles(200).forAll(histories()).checkAssert(this::run);
    }

    @AfterAll
    static void report() {
        System.out.printf("ReconcileHistoryProperties: %d histories, %d steps, %d passes (%d crashed, %d failed on injected"
                        + " faults, %d with a scalable target), %d pinned-request checks, %d deleted versions released%n",
                HISTORIES.get(), STEPS.get(), PASSES.get(), CRASHES.get(), FAILED_PASSES.get(), AUTOSCALED_PASSES.get(),
                PIN_CHECKS.get(), RELEASED_VERSIONS.get());
    }

    // ---------------------------------------------------------------- running a history

    private void run(History history) {
        HISTORIES.incrementAndGet();
        SkewlessSimulation sim = new SkewlessSimulation(history.seed());
        String foreignRule = sim.cloud.addForeignRule(SkewlessSimulation.LISTENER, 1042,
                new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/admin/*"))),
                        new AlbAction.FixedResponse(403, "text/plain", "admin")), Map.of("owner", "platform-team"));
        String foreignTargetGroup = sim.cloud.addForeignTargetGroup("legacy-api", 8080, Map.of("owner", "platform-team"));
        sim.apply(SkewlessSimulation.app(APP, 1000));
        Ghost ghost = new Ghost();
        int deployed = 0;
        for (Step step : history.steps()) {
            STEPS.incrementAndGet();
            List<String> ids = ids(sim);
            switch (step) {
                // Every other version autoscales while live or canary.
                case Step.Deploy d -> sim.apply(++deployed % 2 == 0 ? SkewlessSimulation.autoscaledVersion(APP, "v" + deployed)
                        : version(APP, "v" + deployed));
                case Step.Autoscale a when !sim.cloud.scalableTargets().isEmpty() -> {
                    List<String> targets = new ArrayList<>(sim.cloud.scalableTargets().keySet());
                    sim.cloud.autoscale(targets.get(a.pick() % targets.size()), a.desired());
                }
                case Step.DeregisterTargetByHand d when !sim.cloud.scalableTargets().isEmpty() -> {
                    List<String> targets = new ArrayList<>(sim.cloud.scalableTargets().keySet());
                    sim.cloud.deregisterScalableTargetOutOfBand(targets.get(d.pick() % targets.size()));
                }
                case Step.Promote p when !ids.isEmpty() -> sim.promote(APP, ids.get(p.pick() % ids.size()));
                case Step.FollowLatest f -> sim.promote(APP, ReleaseSpec.LATEST_KEYWORD);
                case Step.Revoke r when !ids.isEmpty() -> {
                    String id = ids.get(r.pick() % ids.size());
                    sim.revoke(APP, id);
                    ghost.revoked.add(id);
                }
                case Step.DeleteVersion d when !ids.isEmpty() -> {
                    String id = ids.get(d.pick() % ids.size());
                    sim.deleteVersion(APP, id);
                    ghost.revoked.add(id);
                }
                case Step.Canary c when !ids.isEmpty() -> sim.editApp(APP, s -> withRelease(s, new ReleaseSpec(s.release().live(),
                        c.weight() == 0 ? null : new ReleaseSpec.Canary(ids.get(c.pick() % ids.size()), c.weight()))));
                case Step.Advance a -> sim.clock.advance(a.by());
                case Step.MaxVersions m -> sim.editApp(APP, s -> new AppSpec(s.platform(), s.router(), s.routing(),
                        new RetentionSpec(s.retention().defaultWindow(), s.retention().min(), s.retention().max(), null, m.n()),
                        s.release(), s.local()));
                case Step.DeleteRuleByHand d -> {
                    var rules = sim.cloud.resources().ofApp(APP).rules();
                    if (!rules.isEmpty()) {
                        sim.cloud.deleteRuleOutOfBand(rules.get(d.pick() % rules.size()).arn());
                        ghost.handDeleted = true;
                    }
                }
                case Step.Faults f -> sim.cloud.faults(new TestingCloud.FaultRates(f.throttle(), f.transientError(), f.timeout()));
                case Step.Crash c -> sim.cloud.crashAfterMutations(c.afterMutations(),
                        c.afterApply() ? TestingCloud.CrashPoint.AFTER_APPLY : TestingCloud.CrashPoint.BEFORE_APPLY);
                case Step.ListLag l -> sim.cloud.listLag(l.observations());
                default -> { }
            }
            pass(sim, ghost);
            sim.clock.advance(Duration.ofSeconds(5));
        }

        // Faults stop: a bounded number of passes converges, with nothing orphaned.
        sim.cloud.clearFaults();
        sim.cloud.listLag(0);
        // Listings may still lag behind earlier writes: settled means three quiet passes in a row.
        int passes = 0;
        int quiet = 0;
        while (quiet < 3) {
            PassResult r = pass(sim, ghost);
            passes++;
            boolean settled = r != null && r.outcome() == PassResult.Outcome.SUCCEEDED && r.actionsExecuted() == 0
                    && (r.requeueAfter() == null || r.requeueAfter().compareTo(Duration.ofMinutes(1)) > 0);
            quiet = settled ? quiet + 1 : 0;
            assertThat(passes).as("converges within 60 passes once faults stop; phases %s", sim.phases(APP)).isLessThan(60);
            sim.clock.advance(SkewlessSimulation.STEP);
        }
        assertConvergedWithoutOrphans(sim);
        // 3: foreign things untouched.
        assertThat(sim.cloud.foreignMutations("skewless")).isEmpty();
        assertThat(sim.cloud.resources().rules()).anyMatch(r -> r.arn().equals(foreignRule) && r.priority() == 1042);
        assertThat(sim.cloud.resources().targetGroups()).anyMatch(t -> t.arn().equals(foreignTargetGroup));
    }

    /** One pass; a simulated crash is a process restart (the next pass starts from scratch). */
    private PassResult pass(SkewlessSimulation sim, Ghost ghost) {
        PassResult result = null;
        try {
            result = sim.pass(APP);
            if (result.outcome() == PassResult.Outcome.FAILED) {
                FAILED_PASSES.incrementAndGet();
            }
            // The operator removes the finalizer of a deleted version once the plan says it is torn down.
            result.versionsTornDown().forEach(id -> {
                sim.store.releaseVersion(new VersionKey(APP, id));
                RELEASED_VERSIONS.incrementAndGet();
            });
        } catch (TestingCloud.SimulatedCrash crash) {
            CRASHES.incrementAndGet();
        }
        PASSES.incrementAndGet();
        checkAfterPass(sim, ghost, result != null && result.outcome() == PassResult.Outcome.SUCCEEDED);
        return result;
    }

    // ---------------------------------------------------------------- invariants

    /** What the test remembers across passes. */
    private static final class Ghost {
        final Set<String> revoked = new java.util.HashSet<>();
        final Map<String, Instant> routedSince = new LinkedHashMap<>();
        boolean handDeleted;
    }

    private void checkAfterPass(SkewlessSimulation sim, Ghost ghost, boolean passSucceeded) {
        var resources = sim.cloud.resources();
        Map<String, ObservedTargetGroup> tgByArn = new HashMap<>();
        resources.targetGroups().forEach(t -> tgByArn.put(t.arn(), t));
        Map<String, AppVersion> records = new HashMap<>();
        sim.store.listVersions(APP).forEach(v -> records.put(v.id(), v));
        Instant now = sim.clock.instant();

        // Every forward of ours points at a target group that exists.
        for (TestingCloud.RuleResource rule : resources.ofApp(APP).rules()) {
            if (rule.spec().action() instanceof AlbAction.Forward forward) {
                for (AlbAction.TargetGroupWeight w : forward.targetGroups()) {
                    assertThat(tgByArn).as("rule %s forwards to an existing target group", rule.tags().get(OwnershipTags.RULE_ROLE))
                            .containsKey(w.targetGroupArn());
                }
            }
        }
        // 5 and 2, on what the listener actually does with requests: traffic only reaches healthy
        // versions, and unpinned traffic and page loads only a Ready or Live one.
        Map<String, ObservedTargetGroup> tgByVersion = new HashMap<>();
        resources.ofApp(APP).targetGroups().forEach(t -> tgByVersion.put(t.tags().get(OwnershipTags.VERSION), t));
        List<dev.skewless.plan.routing.HttpRequest> requests = new ArrayList<>(List.of(
                SkewlessSimulation.unpinned(), SkewlessSimulation.navigation("none"), pinned("gone")));
        records.keySet().forEach(id -> {
            requests.add(pinned(id));
            requests.add(SkewlessSimulation.pinnedByQuery(id));
            requests.add(SkewlessSimulation.navigation(id));
        });
        for (var request : requests) {
            if (!(sim.route(request) instanceof dev.skewless.plan.routing.RouteDecision.Forward forward)) {
                continue;
            }
            boolean unpinnedTraffic = !request.header("Sec-Fetch-Mode").isEmpty()
                    || request.header("x-deployment-id").isEmpty() && request.query().isEmpty();
            for (var target : forward.targets()) {
                if (target.weight() == 0) {
                    continue;
                }
                ObservedTargetGroup tg = tgByVersion.get(target.version());
                assertThat(tg).as("%s forwarded to %s, which has a target group", request, target.version()).isNotNull();
                assertThat(tg.healthyTargets()).as("%s reaches %s only when it is healthy", request, target.version()).isPositive();
                if (unpinnedTraffic && passSucceeded) {
                    assertThat(records.get(target.version()).status().phase()).as("%s behind unpinned traffic", target.version())
                            .isIn(Phase.Ready, Phase.Live);
                }
            }
        }

        // 7: Application Auto Scaling only ever scales a service that exists, only the live version and
        // the canary have a policy, and an autoscaled live version runs within its bounds.
        Map<String, ObservedService> serviceByResourceId = new HashMap<>();
        resources.ofApp(APP).services().stream().filter(s -> s.status() == ObservedService.Status.ACTIVE)
                .forEach(s -> serviceByResourceId.put(ScalableTargetSpec.resourceId(s.cluster(), s.name()), s));
        var targets = sim.cloud.scalableTargets();
        if (!targets.isEmpty()) {
            AUTOSCALED_PASSES.incrementAndGet();
        }
        for (String resourceId : targets.keySet()) {
            assertThat(serviceByResourceId).as("scalable target %s scales an ACTIVE service", resourceId).containsKey(resourceId);
        }
        if (passSucceeded) {
            var appStatus = sim.store.getApp(APP).orElseThrow().status();
            for (var policy : sim.cloud.scalingPolicies()) {
                String version = serviceByResourceId.get(policy.spec().resourceId()).tags().get(OwnershipTags.VERSION);
                assertThat(version).as("a policy is only on the live version (%s) or the canary (%s)", appStatus.liveVersion(),
                        appStatus.canaryVersion()).isIn(appStatus.liveVersion(), appStatus.canaryVersion());
            }
            AppVersion live = appStatus.liveVersion() == null ? null : records.get(appStatus.liveVersion());
            if (live != null && live.spec().autoscaling() != null) {
                var bounds = live.spec().autoscaling();
                resources.ofVersion(live.key()).services().stream().filter(s -> s.status() == ObservedService.Status.ACTIVE)
                        .forEach(s -> assertThat(s.desiredCount()).as("autoscaled live %s runs within [%d, %d]", live.id(),
                                bounds.minCount(), bounds.maxCount()).isBetween(bounds.minCount(), bounds.maxCount()));
            }
        }

        // 1 and 6: once routed, a version's pinned requests keep reaching it until it may leave.
        for (String id : records.keySet()) {
            if (!ghost.routedSince.containsKey(id) && id.equals(sim.target(pinned(id)))) {
                ghost.routedSince.put(id, now);
            }
        }
        // A rule deleted by hand is a gap we did not cause; the next successful pass must close it.
        if (passSucceeded) {
            ghost.handDeleted = false;
        }
        for (Map.Entry<String, Instant> e : ghost.routedSince.entrySet()) {
            String id = e.getKey();
            AppVersion v = records.get(id);
            if (v == null) {
                continue; // deleted and released: its pins are expired
            }
            boolean revoked = ghost.revoked.contains(id) || v.spec().revoked();
            Instant supersededAt = v.status().supersededAt();
            boolean gone = v.status().phase() == Phase.Draining || v.status().phase() == Phase.Retired;
            if (gone && !revoked) {
                // A legitimate expiry (retention, maxVersions) never comes before the minimum retention.
                assertThat(supersededAt).as("%s left (%s) without being superseded", id, v.status().expiryReason()).isNotNull();
                assertThat(v.status().expiresAt()).as("%s expiry", id).isAfterOrEqualTo(supersededAt.plus(MIN_RETENTION));
            }
            boolean mayHaveExpired = supersededAt != null && !now.isBefore(supersededAt.plus(MIN_RETENTION));
            if (revoked || mayHaveExpired || ghost.handDeleted) {
                continue;
            }
            PIN_CHECKS.incrementAndGet();
            assertThat(sim.target(pinned(id))).as("pinned requests of %s (routed since %s, phase %s) at %s", id, e.getValue(),
                    v.status().phase(), now).isEqualTo(id);
        }
    }

    private void assertConvergedWithoutOrphans(SkewlessSimulation sim) {
        var resources = sim.cloud.resources().ofApp(APP);
        Map<String, AppVersion> records = new HashMap<>();
        sim.store.listVersions(APP).forEach(v -> records.put(v.id(), v));
        for (AppVersion v : records.values()) {
            var mine = resources.ofVersion(new VersionKey(APP, v.id()));
            Phase phase = v.status().phase();
            assertThat(phase).as("%s settles", v.id()).isNotIn(Phase.Draining, Phase.Provisioning);
            if (phase == Phase.Retired || phase == Phase.Pending) {
                assertThat(mine.isEmpty()).as("%s (%s) holds nothing: %s", v.id(), phase, mine).isTrue();
            } else if (phase.routable()) {
                assertThat(mine.targetGroups()).hasSize(1);
                assertThat(mine.services()).hasSize(1).allMatch(s -> s.status() == ObservedService.Status.ACTIVE);
                assertThat(mine.taskDefinitions()).hasSize(1);
                assertThat(mine.rules()).extracting(r -> r.tags().get(OwnershipTags.RULE_ROLE))
                        .containsExactlyInAnyOrder("pin.header." + v.id(), "pin.query." + v.id());
                assertThat(sim.target(pinned(v.id()))).isEqualTo(v.id());
            }
        }
        // Exactly the autoscaled live version and canary have a scalable target and one policy.
        var appStatus = sim.store.getApp(APP).orElseThrow().status();
        java.util.Set<String> scaled = new java.util.TreeSet<>();
        for (AppVersion v : records.values()) {
            boolean role = v.id().equals(appStatus.liveVersion()) || v.id().equals(appStatus.canaryVersion());
            if (role && v.spec().autoscaling() != null) {
                scaled.add(ScalableTargetSpec.resourceId(SkewlessSimulation.CLUSTER, ResourceNames.service(v.key())));
            }
        }
        assertThat(sim.cloud.scalableTargets().keySet()).as("scalable targets").containsExactlyInAnyOrderElementsOf(scaled);
        assertThat(sim.cloud.scalingPolicies()).extracting(p -> p.spec().resourceId()).as("policies")
                .containsExactlyInAnyOrderElementsOf(scaled);

        // No resource of a version that has no record, no duplicate rule.
        for (ObservedTargetGroup tg : resources.targetGroups()) {
            assertThat(records).containsKey(tg.tags().get(OwnershipTags.VERSION));
        }
        List<String> roles = new ArrayList<>();
        resources.rules().forEach(r -> roles.add(r.tags().get(OwnershipTags.RULE_ROLE)));
        assertThat(roles).doesNotHaveDuplicates();
        assertThat(roles).noneMatch(r -> r.startsWith("standby."));
    }

    // ---------------------------------------------------------------- generators

    private static List<String> ids(SkewlessSimulation sim) {
        return sim.store.listVersions(APP).stream().map(AppVersion::id).toList();
    }

    private static AppSpec withRelease(AppSpec s, ReleaseSpec release) {
        return new AppSpec(s.platform(), s.router(), s.routing(), s.retention(), release, s.local());
    }

    private static Gen<History> histories() {
        Gen<Step> step = in -> {
            int kind = (int) in.next(Constraint.between(0, 99));
            int pick = (int) in.next(Constraint.between(0, 20));
            if (kind < 22) {
                return new Step.Deploy();
            } else if (kind < 32) {
                return new Step.Promote(pick);
            } else if (kind < 36) {
                return new Step.FollowLatest();
            } else if (kind < 42) {
                return new Step.Revoke(pick);
            } else if (kind < 48) {
                return new Step.Canary(pick, (int) in.next(Constraint.between(0, 100)));
            } else if (kind < 51) {
                return new Step.Autoscale(pick, (int) in.next(Constraint.between(0, 6)));
            } else if (kind < 53) {
                return new Step.DeregisterTargetByHand(pick);
            } else if (kind < 56) {
                return new Step.DeleteVersion(pick);
            } else if (kind < 72) {
                long seconds = switch ((int) in.next(Constraint.between(0, 3))) {
                    case 0 -> in.next(Constraint.between(1, 60));
                    case 1 -> in.next(Constraint.between(60, 900));
                    case 2 -> in.next(Constraint.between(900, 3 * 3600));
                    default -> in.next(Constraint.between(3 * 3600, 2 * 86_400));
                };
                return new Step.Advance(Duration.ofSeconds(seconds));
            } else if (kind < 76) {
                return new Step.MaxVersions((int) in.next(Constraint.between(2, 6)));
            } else if (kind < 80) {
                return new Step.DeleteRuleByHand(pick);
            } else if (kind < 83) {
                return new Step.ListLag((int) in.next(Constraint.between(0, 2)));
            } else if (kind < 91) {
                int level = (int) in.next(Constraint.between(0, 3));
                double rate = new double[] {0, 0.05, 0.15, 0.3}[level];
                return new Step.Faults(rate, rate, rate / 2);
            } else {
                return new Step.Crash((int) in.next(Constraint.between(1, 8)), in.next(Constraint.between(0, 1)) == 1);
            }
        };
        return in -> {
            long seed = in.next(Constraint.between(0, Integer.MAX_VALUE));
            int length = (int) in.next(Constraint.between(3, 30));
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                steps.add(step.generate(in));
            }
            return new History(seed, steps);
        };
    }
}
