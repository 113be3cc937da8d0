package dev.skewless.plan;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Conditions;
import dev.skewless.model.DurationText;
import dev.skewless.model.Phase;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.model.VersionResources;
import dev.skewless.plan.VersionPlan.Category;
import dev.skewless.plan.action.Action;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.TargetGroupSpec;
import dev.skewless.plan.observed.ObservedRule;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.plan.observed.ObservedState;
import dev.skewless.plan.observed.ObservedTargetGroup;
import dev.skewless.plan.observed.ObservedTaskDefinition;
import dev.skewless.plan.routing.AlbRuleRenderer;
import dev.skewless.plan.routing.RenderedRule;
import dev.skewless.plan.routing.RoutingTable;
import dev.skewless.plan.routing.RuleRole;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One planner pass over one App. Holds the working state; {@link #run()} returns the plan. The
 * numbered sections below run in order: classify, retention and release, capacity, per-version
 * resources, rules ({@link RulePlanner}), then waits and statuses. An App being deleted takes
 * {@link #tearDown()} instead (section 7).
 */
final class PlannerPass {
    /** {@code expiryReason} of a version whose own record is being deleted. */
    static final String REASON_DELETED = "Deleted";
    /** {@code expiryReason} of a version whose App is being deleted. */
    static final String REASON_APP_DELETED = "AppDeleted";

    private final PlannerConfig config;
    private final String owner;
    private final App app;
    private final ObservedState observed;
    private final Instant now;
    private final ObservedIndex idx;
    private final AutoscalingPlanner autoscaling;
    private final Map<String, VersionPlan> plans = new LinkedHashMap<>();

    private final List<Action> creates = new ArrayList<>();
    private final List<Action> ruleActions = new ArrayList<>();
    private final List<Action> updates = new ArrayList<>();
    private final List<Action> removals = new ArrayList<>();
    private final List<Action.Wait> waits = new ArrayList<>();
    private Instant nextWake;

    private String live;
    private RoutingTable.CanarySplit canary;
    /** The table this pass's rules implement; null when no rule could be planned. */
    private RoutingTable routing;
    private Blocker releasedProblem;
    private Blocker appCapacityProblem;
    private Blocker appRoutingProblem;

    /** {@code versions} oldest first. */
    PlannerPass(PlannerConfig config, App app, List<AppVersion> versions, ObservedState observed, Instant now) {
        this.config = config;
        this.owner = config.owner();
        this.app = app;
        this.observed = observed;
        this.now = now;
        this.idx = new ObservedIndex(app.name(), owner, observed,
                version -> ResourceNames.targetGroup(new VersionKey(app.name(), version)));
        this.autoscaling = new AutoscalingPlanner(owner, app.spec().router().listenerArn(), observed);
        for (AppVersion v : versions) {
            plans.put(v.id(), new VersionPlan(v));
        }
    }

    Plan run() {
        if (app.metadata().deleting()) {
            return tearDown();
        }
        classify();
        expireRetained();
        resolveRelease();
        markSuperseded();
        admit();
        for (VersionPlan vp : plans.values()) {
            switch (vp.category) {
                case ROUTABLE, PROVISIONING, FAILED -> ensureResources(vp);
                case DRAINING -> drain(vp);
                case PENDING, RETIRED -> { }
            }
        }
        cleanUpOrphans();
        planRules();
        return assemble();
    }

    // ---------------------------------------------------------------- 1. classify

    private void classify() {
        TreeSet<String> withResources = idx.versionsWithResources();
        for (VersionPlan vp : plans.values()) {
            AppVersionStatus prev = vp.prev;
            boolean hasResources = withResources.contains(vp.id());
            boolean specChanged = prev.observedGeneration() != vp.record.metadata().generation();
            if (prev.phase() == Phase.Retired && !hasResources) {
                vp.category = Category.RETIRED;
            } else if (prev.phase() == Phase.Retired || prev.phase() == Phase.Draining) {
                vp.category = Category.DRAINING;
            } else if (vp.record.metadata().deleting()) {
                // Deleting an AppVersion record means what revoking it means: drain, then remove.
                vp.category = Category.DRAINING;
                vp.expiryReason = REASON_DELETED;
                vp.expiresAt = now;
            } else if (vp.record.spec().revoked()) {
                vp.category = Category.DRAINING;
                vp.expiryReason = "Revoked";
                vp.expiresAt = now;
            } else if (idx.hasPinRule(vp.id()) || (prev.phase().routable() && servesTraffic(vp))) {
                // Once routable, a version keeps its rule until it expires or is revoked. A status that
                // says routable without a rule in sight (a pass that failed before creating it, or a
                // rule deleted by hand) is only trusted while the version can still serve.
                vp.category = Category.ROUTABLE;
            } else if ((vp.failure = failure(vp, specChanged)) != null) {
                vp.category = Category.FAILED;
            } else if (prev.phase() == Phase.Provisioning || prev.phase().routable()
                    || (prev.phase() == Phase.Failed && specChanged) || hasResources) {
                vp.category = Category.PROVISIONING;
            } else {
                vp.category = Category.PENDING;
            }
        }
    }

    /** Why a not-yet-routable version has failed, or null. */
    private Blocker failure(VersionPlan vp, boolean specChanged) {
        AppVersionStatus prev = vp.prev;
        Optional<Condition> terminal = Conditions.find(prev.conditions(), Condition.TERMINAL);
        if (prev.phase() == Phase.Failed && !specChanged) {
            return terminal.map(c -> new Blocker(c.reason(), c.message())).orElse(new Blocker("Failed", "failed"));
        }
        // An invalid reference of the App is the engine's to report and ends when the App is right again.
        if (terminal.isPresent() && terminal.get().isTrue() && !specChanged
                && !Condition.REASON_INVALID_REFERENCE.equals(terminal.get().reason())) {
            return new Blocker(terminal.get().reason(), terminal.get().message());
        }
        ObservedService svc = idx.serviceByVersion.get(vp.id());
        if (svc != null && svc.rollout() == ObservedService.Rollout.FAILED && runsDesiredSpec(vp, svc)) {
            return new Blocker("DeploymentFailed", "the ECS deployment failed (circuit breaker); see the service's events");
        }
        // Timed out only if it is still not healthy now and its service exists: a controller that was
        // down (or never got to create the service) must not fail versions for its own absence.
        if (prev.phase() == Phase.Provisioning && !specChanged && svc != null
                && !healthy(vp, want(vp))) {
            Optional<Condition> ready = Conditions.find(prev.conditions(), Condition.READY);
            if (ready.isPresent() && ready.get().lastTransitionTime() != null
                    && !now.isBefore(ready.get().lastTransitionTime().plus(config.provisioningTimeout()))) {
                return new Blocker("ProvisioningTimeout", "not healthy within " + DurationText.format(config.provisioningTimeout()));
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- 2. retention and release

    /** Routable versions whose retention already ran out leave service before anything else. */
    private void expireRetained() {
        for (VersionPlan vp : plans.values()) {
            if (vp.category == Category.ROUTABLE && vp.prev.phase() == Phase.Superseded && vp.supersededAt != null) {
                applyRetention(vp);
            }
        }
    }

    private void applyRetention(VersionPlan vp) {
        RetentionPolicy.Verdict verdict = RetentionPolicy.evaluate(app.spec().retention(), vp.record.spec().retention(),
                vp.supersededAt, Optional.ofNullable(observed.lastRequestAt().get(vp.record.key())), now);
        vp.expiresAt = verdict.expiresAt();
        vp.nextCheck = verdict.nextCheck();
        if (verdict.expired()) {
            vp.category = Category.DRAINING;
            vp.expiryReason = verdict.reason();
        }
    }

    private void resolveRelease() {
        // Versions that become routable this pass: healthy at the size they are provisioned to, and their rules can be created
        // this very pass (a version is never reported routable without its pin rules).
        appRoutingProblem = routingProblem();
        long routableCount = plans.values().stream().filter(vp -> vp.category == Category.ROUTABLE).count();
        for (VersionPlan vp : plans.values()) {
            // At the size it is provisioned to: a superseded version provisioned again (its target group
            // and rules deleted by hand) runs only its retained count, and must become routable at that.
            if (vp.category != Category.PROVISIONING || !healthy(vp, want(vp))) {
                continue;
            }
            if (appRoutingProblem != null) {
                vp.busy("Healthy, waiting for routing: " + appRoutingProblem.message());
            } else if (rulesNeeded(routableCount + 1) + standbyCount() - 1 > ruleRoom()) {
                vp.busy("Healthy, waiting for room for its listener rules");
            } else {
                vp.category = Category.ROUTABLE;
                vp.newlyRoutable = true;
                routableCount++;
            }
        }
        String previousLive = null;
        for (VersionPlan vp : plans.values()) {
            if (vp.prev.phase() == Phase.Live && vp.category == Category.ROUTABLE) {
                previousLive = vp.id();
            }
        }
        ReleaseSpec release = app.spec().release();
        String target = release.followsLatest() ? newestRoutable() : release.live();
        VersionPlan t = target == null ? null : plans.get(target);
        if (t != null && t.category == Category.ROUTABLE
                && (target.equals(previousLive) || healthy(t, fullSize(t)))) {
            live = target;
        } else {
            if (release.followsLatest()) {
                releasedProblem("NoReadyVersion", "no version is Ready yet");
            } else if (t == null) {
                releasedProblem("VersionNotFound", "version " + release.live() + " does not exist");
            } else {
                String why = switch (t.category) {
                    case ROUTABLE -> "is scaling up to " + fullSize(t) + " tasks before it goes live";
                    case PROVISIONING -> "is still provisioning";
                    case PENDING -> "is waiting for capacity";
                    case FAILED -> "has failed";
                    case DRAINING -> t.record.metadata().deleting() ? "is being deleted"
                            : t.record.spec().revoked() ? "is revoked" : "has expired";
                    case RETIRED -> "is retired";
                };
                releasedProblem(t.category == Category.ROUTABLE || t.category == Category.PROVISIONING
                        ? "VersionNotReady" : "VersionUnavailable", "version " + target + " " + why);
            }
            if (previousLive != null) {
                live = previousLive;
            } else if (!release.followsLatest() && t != null && t.category != Category.DRAINING
                    && t.category != Category.RETIRED && t.category != Category.FAILED) {
                live = null; // first release: nothing goes live before the requested version is ready
            } else {
                // The live version was revoked or expired: keep serving with the newest one left.
                live = newestRoutable();
            }
        }
        ReleaseSpec.Canary c = release.canary();
        if (live != null && c != null && c.weight() > 0 && !c.version().equals(live)) {
            VersionPlan cv = plans.get(c.version());
            // An autoscaled canary stays the canary while Application Auto Scaling grows it (its tasks
            // are still starting); a new one must first be healthy at its full size.
            boolean stays = cv != null && cv.record.spec().autoscaling() != null && c.version().equals(app.status().canaryVersion())
                    && servesTraffic(cv);
            if (cv != null && cv.category == Category.ROUTABLE && (stays || healthy(cv, fullSize(cv)))) {
                canary = new RoutingTable.CanarySplit(c.version(), Math.min(100, c.weight()));
            }
        }
    }

    private void releasedProblem(String reason, String message) {
        releasedProblem = new Blocker(reason, message);
    }

    private String newestRoutable() {
        String newest = null;
        for (VersionPlan vp : plans.values()) {
            if (vp.category == Category.ROUTABLE) {
                newest = vp.id(); // plans are in creation order
            }
        }
        return newest;
    }

    /** Which routable versions are superseded (and since when); live and canary never are. */
    private void markSuperseded() {
        Instant liveCreated = live == null ? null : plans.get(live).record.metadata().creationTimestamp();
        for (VersionPlan vp : plans.values()) {
            if (vp.category != Category.ROUTABLE) {
                continue;
            }
            if (vp.id().equals(live) || (canary != null && vp.id().equals(canary.version()))) {
                vp.supersededAt = null;
                vp.expiresAt = null;
                vp.nextCheck = null;
                continue;
            }
            if (vp.supersededAt == null && (vp.prev.phase() == Phase.Live
                    || (liveCreated != null && vp.record.metadata().creationTimestamp().isBefore(liveCreated)))) {
                vp.supersededAt = now;
            }
            if (vp.supersededAt != null) {
                applyRetention(vp);
            }
        }
    }

    // ---------------------------------------------------------------- 3. capacity

    private void admit() {
        var retention = app.spec().retention();
        List<VersionPlan> holders = new ArrayList<>();
        for (VersionPlan vp : plans.values()) {
            if (vp.category == Category.ROUTABLE || vp.category == Category.PROVISIONING) {
                holders.add(vp);
            }
        }
        while (holders.size() > retention.maxVersions() && evictOne(holders)) {
            // evictOne removed the oldest evictable version
        }
        var listener = observed.listener();
        for (VersionPlan vp : plans.values()) {
            if (vp.category != Category.PENDING) {
                continue;
            }
            if (listener == null) {
                vp.capacityProblem = listenerNotFound();
                continue;
            }
            if (holders.size() >= retention.maxVersions() && !evictOne(holders)) {
                vp.capacityProblem = new Blocker("MaxVersionsReached", retention.maxVersions()
                        + " versions are retained and none is past its minimum retention ("
                        + DurationText.format(retention.min()) + ")");
                continue;
            }
            int rulesNeeded = rulesNeeded(holders.size() + 1);
            int range = rangeFree();
            int lbHeadroom = lbHeadroom();
            long provisioning = holders.stream().filter(h -> h.category == Category.PROVISIONING).count();
            if (rulesNeeded > range) {
                vp.capacityProblem = new Blocker("PriorityRangeFull", rulesNeeded + " rules needed, priority range "
                        + app.spec().router().priorities() + " has " + range + " free");
            } else if (rulesNeeded > lbHeadroom) {
                vp.capacityProblem = new Blocker("RuleQuota", rulesNeeded + " rules needed, the load balancer has room for "
                        + lbHeadroom + " (quota " + config.quotas().rulesPerLoadBalancer() + ")");
            } else if (listener.loadBalancerTargetGroupCount() + provisioning + 1
                    > config.quotas().targetGroupsPerLoadBalancer()) {
                vp.capacityProblem = new Blocker("TargetGroupQuota", "the load balancer is at its quota of "
                        + config.quotas().targetGroupsPerLoadBalancer() + " target groups");
            } else {
                vp.category = Category.PROVISIONING;
                holders.add(vp);
            }
        }
        for (VersionPlan vp : plans.values()) {
            if (vp.capacityProblem != null) {
                appCapacityProblem = new Blocker(vp.capacityProblem.reason(), vp.id() + " waits: " + vp.capacityProblem.message());
            }
        }
    }

    /** Expires the oldest superseded version past its minimum retention; false if there is none. */
    private boolean evictOne(List<VersionPlan> holders) {
        for (VersionPlan vp : holders) {
            if (vp.category == Category.ROUTABLE && vp.supersededAt != null && !isReleaseTarget(vp)
                    && !now.isBefore(vp.supersededAt.plus(app.spec().retention().min()))) {
                vp.category = Category.DRAINING;
                vp.expiryReason = "MaxVersions";
                vp.expiresAt = now;
                holders.remove(vp);
                return true;
            }
        }
        return false;
    }

    /** Rules the App needs with {@code routableVersions} pinnable versions. */
    private int rulesNeeded(long routableVersions) {
        int fixedRules = 1 + carriers() + (app.spec().router().ownsListener() ? 0 : 1);
        return (int) (fixedRules + carriers() * routableVersions);
    }

    /** Standby rules the provisioning versions hold. */
    private int standbyCount() {
        return (int) plans.values().stream().filter(vp -> vp.category == Category.PROVISIONING).count();
    }

    /** Rules the App can have: free priorities in its range, and room under the load balancer's quota. */
    private int ruleRoom() {
        return observed.listener() == null ? 0 : Math.min(rangeFree(), lbHeadroom());
    }

    /** Priorities in the App's range that no foreign rule holds. */
    private int rangeFree() {
        var range = app.spec().router().priorities();
        return range.size() - (int) idx.foreignPriorities.stream().filter(range::contains).count();
    }

    /** Rules the load balancer's quota leaves for this App (its own rules count as room). */
    private int lbHeadroom() {
        return config.quotas().rulesPerLoadBalancer() - (observed.listener().loadBalancerRuleCount() - idx.ownedRuleCount);
    }

    private Blocker listenerNotFound() {
        return new Blocker("ListenerNotFound", "listener " + app.spec().router().listenerArn() + " was not found");
    }

    /** Why no rule of this App can be written now, or null. */
    private Blocker routingProblem() {
        if (observed.listener() == null) {
            return listenerNotFound();
        }
        var router = app.spec().router();
        RoutingTable probe = new RoutingTable(app.name(), app.spec().routing(), router.pathPatterns(), router.hostHeaders(),
                router.ownsListener(), "probe", null, List.of("probe"));
        for (RenderedRule r : AlbRuleRenderer.render(probe).rules()) {
            if (r.conditionValueCount() > config.quotas().conditionValuesPerRule()) {
                // Validation refuses such Apps; this guards records written around it. ALB would refuse every call.
                return new Blocker("ConditionQuota", "rule " + r.role().kind() + " needs " + r.conditionValueCount()
                        + " condition values, ALB allows " + config.quotas().conditionValuesPerRule()
                        + "; use fewer path patterns or host headers, or turn the cookie carrier off");
            }
        }
        return null;
    }

    private int carriers() {
        return app.spec().routing().cookieEnabled() ? 3 : 2;
    }

    // ---------------------------------------------------------------- 4. per-version resources

    /** The tasks a version should run. */
    private int want(VersionPlan vp) {
        int desired = fullSize(vp);
        if (vp.category == Category.FAILED) {
            return 0;
        }
        if (vp.supersededAt != null && !isReleaseTarget(vp)) {
            // At least one task: a superseded version with none would answer its pinned clients 503.
            // An autoscaled one may have run up to maxCount; it keeps at most retainedDesiredCount of those.
            int ran = vp.record.spec().autoscaling() != null ? vp.record.spec().autoscaling().maxCount() : desired;
            return Math.max(1, Math.min(ran, app.spec().platform().retainedDesiredCount()));
        }
        return desired;
    }

    /** The tasks a version runs at full size (see {@link AutoscalingPlanner#fullSize}). */
    private int fullSize(VersionPlan vp) {
        return AutoscalingPlanner.fullSize(vp.record, idx.serviceByVersion.get(vp.id()));
    }

    /** Live or canary this pass: the versions Application Auto Scaling may scale. */
    private boolean autoscaledRole(VersionPlan vp) {
        return vp.category == Category.ROUTABLE
                && (vp.id().equals(live) || (canary != null && vp.id().equals(canary.version())));
    }

    /** Named by {@code release.live} or {@code release.canary}: never evicted, scaled to full size. */
    private boolean isReleaseTarget(VersionPlan vp) {
        ReleaseSpec release = app.spec().release();
        return vp.id().equals(release.live()) || (release.canary() != null && vp.id().equals(release.canary().version()));
    }

    private void ensureResources(VersionPlan vp) {
        AppVersion v = vp.record;
        vp.want = want(vp);
        if (vp.category == Category.FAILED) {
            // Keep what exists for inspection, but stop a crash-looping service from burning money.
            ObservedService svc = idx.serviceByVersion.get(v.id());
            if (svc != null && svc.status() == ObservedService.Status.ACTIVE) {
                // Off Application Auto Scaling first, or it would scale the service back to minCount.
                removals.addAll(autoscaling.detach(v.key(), svc));
            }
            if (svc != null && svc.status() == ObservedService.Status.ACTIVE && svc.desiredCount() > 0) {
                removals.add(new Action.ScaleService(v.key(), svc.cluster(), svc.arn(), 0));
                vp.busy("Scaling the failed version to zero");
            }
            return;
        }
        ObservedTargetGroup tg = idx.targetGroupByVersion.get(v.id());
        TargetGroupSpec tgSpec = DesiredResources.targetGroup(owner, app, v);
        if (tg == null) {
            creates.add(new Action.CreateTargetGroup(v.key(), tgSpec));
            vp.busy("Creating target group " + tgSpec.name());
        } else if (!tg.healthCheck().equals(tgSpec.healthCheck())
                || !tg.deregistrationDelay().equals(tgSpec.deregistrationDelay())) {
            creates.add(new Action.UpdateTargetGroup(v.key(), tg.arn(), tgSpec));
            vp.busy("Updating target group health check");
        }
        var tdSpec = DesiredResources.taskDefinition(owner, app, v);
        List<ObservedTaskDefinition> tds = idx.taskDefinitionsByVersion.getOrDefault(v.id(), List.of());
        ObservedService svc = idx.serviceByVersion.get(v.id());
        // Several revisions can carry the desired hash (a retried register, a lagging listing): the one
        // the service already runs wins, so a twin never triggers a needless rollout.
        List<ObservedTaskDefinition> matching = tds.stream()
                .filter(d -> tdSpec.specHash().equals(d.tags().get(OwnershipTags.SPEC_HASH))).toList();
        ObservedTaskDefinition td = matching.stream()
                .filter(d -> svc != null && d.arn().equals(svc.taskDefinitionArn())).findFirst()
                .orElse(matching.isEmpty() ? null : matching.getLast());
        if (td == null) {
            creates.add(new Action.RegisterTaskDefinition(v.key(), tdSpec));
            vp.busy("Registering task definition");
        }
        String tgArn = tg == null ? null : tg.arn();
        // ECS only accepts a target group some listener rule already uses (see RuleRole.Kind.STANDBY).
        boolean attached = idx.rule(RuleRole.standby(v.id())).isPresent() || idx.hasPinRule(v.id());
        if (svc == null) {
            if (tgArn != null && td != null && vp.want > 0 && !attached) {
                vp.busy("Attaching target group " + tg.name() + " to the load balancer");
            } else if (tgArn != null && td != null && vp.want > 0) {
                creates.add(new Action.CreateService(v.key(), DesiredResources.service(owner, app, v, td.arn(), tgArn, vp.want)));
                vp.busy("Creating service");
            } else {
                vp.busy("Waiting for target group and task definition");
            }
            waitFor(vp, config.pollWhileProgressing());
        } else if (svc.status() == ObservedService.Status.DRAINING) {
            vp.busy("Waiting for an earlier service of the same name to finish draining");
            waitFor(vp, config.pollWhileProgressing());
        } else {
            boolean wrongTask = td != null && !td.arn().equals(svc.taskDefinitionArn());
            boolean wrongTarget = tgArn != null && !tgArn.equals(svc.targetGroupArn());
            if (wrongTask || wrongTarget) {
                // After the rules: ECS checks the target group is on a load balancer, and this pass's
                // rule actions may be what puts it there.
                updates.add(new Action.UpdateService(v.key(), svc.arn(),
                        DesiredResources.service(owner, app, v, td != null ? td.arn() : svc.taskDefinitionArn(),
                                tgArn != null ? tgArn : svc.targetGroupArn(), vp.want)));
                vp.busy(wrongTask ? "Rolling out a new task definition" : "Attaching the target group");
            } else if (svc.desiredCount() != vp.want) {
                var scale = new Action.ScaleService(v.key(), svc.cluster(), svc.arn(), vp.want);
                (vp.want > svc.desiredCount() ? creates : removals).add(scale);
                vp.busy("Scaling from " + svc.desiredCount() + " to " + vp.want + " tasks");
            } else if (vp.want > 0 && (svc.rollout() == ObservedService.Rollout.IN_PROGRESS || svc.runningCount() < vp.want)) {
                vp.busy("Waiting for " + vp.want + " running tasks (" + svc.runningCount() + " now)");
            }
            planAutoscaling(vp, svc, tgArn);
            if (vp.busy != null) {
                waitFor(vp, config.pollWhileProgressing());
            }
            // Old revisions nothing runs any more.
            if (td != null && td.arn().equals(svc.taskDefinitionArn())) {
                for (ObservedTaskDefinition old : tds) {
                    if (!old.arn().equals(td.arn())) {
                        removals.add(new Action.DeregisterTaskDefinition(v.key(), old.arn()));
                    }
                }
            }
        }
        for (ObservedTargetGroup extra : idx.extraTargetGroups) {
            if (v.id().equals(extra.tags().get(OwnershipTags.VERSION))) {
                removals.add(new Action.DeleteTargetGroup(v.key(), extra.arn()));
            }
        }
        if (vp.category == Category.PROVISIONING && !vp.newlyRoutable) {
            vp.busy("Waiting for healthy tasks");
            waitFor(vp, config.pollWhileProgressing());
        }
    }

    /**
     * Live and canary versions with {@code spec.autoscaling} get their scalable target and policy
     * (with the creations: in place before unpinned traffic moves to them); every other version
     * loses both before anything scales it down.
     */
    private void planAutoscaling(VersionPlan vp, ObservedService svc, String tgArn) {
        List<Action> attach = autoscaledRole(vp) ? autoscaling.attach(vp.record, svc, tgArn) : List.of();
        List<Action> detach = autoscaledRole(vp) && vp.record.spec().autoscaling() != null
                ? List.of() : autoscaling.detach(vp.record.key(), svc);
        creates.addAll(attach);
        updates.addAll(detach);
        if (!attach.isEmpty() || !detach.isEmpty()) {
            vp.busy(attach.isEmpty() ? "Removing autoscaling" : "Applying autoscaling");
            waitFor(vp, config.pollWhileProgressing());
        }
    }

    /** Can answer requests at all: an active service with a running task and a healthy target. */
    private boolean servesTraffic(VersionPlan vp) {
        ObservedTargetGroup tg = idx.targetGroupByVersion.get(vp.id());
        ObservedService svc = idx.serviceByVersion.get(vp.id());
        return tg != null && svc != null && svc.status() == ObservedService.Status.ACTIVE
                && svc.runningCount() >= 1 && tg.healthyTargets() >= 1;
    }

    /** Healthy: running the desired spec at {@code count} tasks, deployment completed, targets healthy. */
    private boolean healthy(VersionPlan vp, int count) {
        ObservedTargetGroup tg = idx.targetGroupByVersion.get(vp.id());
        ObservedService svc = idx.serviceByVersion.get(vp.id());
        return tg != null && svc != null && svc.status() == ObservedService.Status.ACTIVE
                && svc.desiredCount() == count && svc.rollout() == ObservedService.Rollout.COMPLETED
                && svc.runningCount() >= count && tg.healthyTargets() >= count
                && tg.arn().equals(svc.targetGroupArn()) && runsDesiredSpec(vp, svc);
    }

    private boolean runsDesiredSpec(VersionPlan vp, ObservedService svc) {
        ObservedTaskDefinition td = idx.taskDefinitionByArn.get(svc.taskDefinitionArn());
        return td != null && DesiredResources.specHash(app, vp.record).equals(td.tags().get(OwnershipTags.SPEC_HASH));
    }

    /** Rules first (planned by {@link #planRules}), then the deregistration delay, then compute, then the target group. */
    private void drain(VersionPlan vp) {
        VersionKey key = vp.record.key();
        // Every rule must have stopped forwarding to it (its pins, and unpinned or navigation traffic
        // if it was live or canary) before the deregistration delay starts.
        if (idx.receivesTraffic(vp.id())) {
            // Off Application Auto Scaling at once: a version on its way out is not scaled any more.
            ObservedService svc = idx.serviceByVersion.get(vp.id());
            if (svc != null && svc.status() == ObservedService.Status.ACTIVE) {
                removals.addAll(autoscaling.detach(key, svc));
            }
            vp.busy(trafficLeft(vp.id()));
            waitFor(vp, config.pollWhileProgressing());
            return;
        }
        if (vp.drainingSince == null) {
            vp.drainingSince = now;
        }
        vp.drained = removeCompute(key, vp.drainingSince, vp);
    }

    /** What still sends a draining version traffic, as its status says while it waits. */
    private String trafficLeft(String version) {
        String tg = Optional.ofNullable(idx.targetGroupByVersion.get(version)).map(ObservedTargetGroup::name).orElse("");
        if (idx.hasPinRule(version) || idx.ownedRulesByRole.values().stream().flatMap(List::stream)
                .anyMatch(r -> forwardsTo(r, idx.targetGroupByVersion.get(version)))) {
            return "Removing listener rules";
        }
        if (idx.forwardedByForeignRule(version)) {
            return "Waiting for a listener rule skewless does not own to stop forwarding to target group " + tg
                    + "; change or delete that rule";
        }
        if (idx.forwardedByListenerDefault(version) && !app.spec().router().ownsListener()) {
            return "Waiting for the listener's default action to stop forwarding to target group " + tg;
        }
        return "Removing listener rules";
    }

    private static boolean forwardsTo(ObservedRule rule, ObservedTargetGroup tg) {
        return tg != null && rule.spec().action() instanceof AlbAction.Forward f
                && f.targetGroups().stream().anyMatch(w -> w.targetGroupArn().equals(tg.arn()));
    }

    /**
     * Scale to zero (after the deregistration delay), delete the service, then the target group
     * and task definitions. Returns true once nothing is left.
     */
    private boolean removeCompute(VersionKey key, Instant drainingSince, VersionPlan vp) {
        String version = key.version();
        ObservedService svc = idx.serviceByVersion.get(version);
        ObservedTargetGroup tg = idx.targetGroupByVersion.get(version);
        List<ObservedTaskDefinition> tds = idx.taskDefinitionsByVersion.getOrDefault(version, List.of());
        boolean extra = idx.extraTargetGroups.stream().anyMatch(t -> version.equals(t.tags().get(OwnershipTags.VERSION)));
        Instant drainEnd = drainingSince.plus(app.spec().router().deregistrationDelay());
        if (svc != null) {
            if (svc.status() == ObservedService.Status.ACTIVE) {
                // Off Application Auto Scaling as soon as no rule sends it traffic: nothing may scale it back up.
                removals.addAll(autoscaling.detach(key, svc));
                if (svc.runningCount() > 0 && now.isBefore(drainEnd)) {
                    note(vp, "Draining in-flight requests until " + toSecond(drainEnd));
                    waitUntil(key, drainEnd);
                    return false;
                }
                if (svc.desiredCount() > 0) {
                    removals.add(new Action.ScaleService(key, svc.cluster(), svc.arn(), 0));
                }
                removals.add(new Action.DeleteService(key, svc.cluster(), svc.arn()));
                note(vp, "Deleting service");
            } else {
                note(vp, "Waiting for the service to stop");
            }
            waitUntil(key, now.plus(config.pollWhileProgressing()));
            return false;
        }
        boolean any = false;
        if (tg != null) {
            removals.add(new Action.DeleteTargetGroup(key, tg.arn()));
            any = true;
        }
        for (ObservedTargetGroup t : idx.extraTargetGroups) {
            if (version.equals(t.tags().get(OwnershipTags.VERSION))) {
                removals.add(new Action.DeleteTargetGroup(key, t.arn()));
            }
        }
        for (ObservedTaskDefinition td : tds) {
            removals.add(new Action.DeregisterTaskDefinition(key, td.arn()));
            any = true;
        }
        if (any || extra) {
            note(vp, "Deleting target group and task definitions");
            waitUntil(key, now.plus(config.pollWhileProgressing()));
            return false;
        }
        return true;
    }

    /** Resources tagged for this App whose version has no record (deleted by hand): removed without delay. */
    private void cleanUpOrphans() {
        for (String version : idx.versionsWithResources()) {
            if (plans.containsKey(version)) {
                continue;
            }
            VersionKey key = new VersionKey(app.name(), version);
            if (!idx.receivesTraffic(version)) {
                removeCompute(key, now.minus(app.spec().router().deregistrationDelay()), null);
            }
        }
    }

    // ---------------------------------------------------------------- 5. rules

    private void planRules() {
        if (appRoutingProblem != null) {
            return; // keep whatever rules exist; the App's Synced condition says why
        }
        RulePlanner.Result rules = new RulePlanner(app, config, idx, observed.listener()).plan(plans.values(), live, canary);
        ruleActions.addAll(rules.actions());
        routing = rules.table();
        if (rules.capacityProblem() != null) {
            appCapacityProblem = rules.capacityProblem();
        }
    }

    // ---------------------------------------------------------------- 7. teardown

    /**
     * The App is being deleted (decision 039): every version drains as a revoked one does, rules
     * first ({@link RulePlanner#tearDown()}: all the App owns), then, once nothing forwards to a
     * version, the deregistration delay, autoscaling off, scale to 0, the service, then target
     * groups and task definitions. Nothing is created, scaled up or released; resources of
     * versions without a record go as orphans do.
     */
    private Plan tearDown() {
        TreeSet<String> withResources = idx.versionsWithResources();
        for (VersionPlan vp : plans.values()) {
            if (vp.prev.phase() == Phase.Retired && !withResources.contains(vp.id())) {
                vp.category = Category.RETIRED;
                continue;
            }
            vp.category = Category.DRAINING;
            if (vp.prev.phase() != Phase.Draining && vp.prev.phase() != Phase.Retired) {
                // A version already leaving keeps the reason it left for; the others leave because of the App.
                vp.expiryReason = REASON_APP_DELETED;
                vp.expiresAt = now;
            }
            drain(vp);
        }
        cleanUpOrphans();
        ruleActions.addAll(new RulePlanner(app, config, idx, observed.listener()).tearDown());
        return assemble();
    }

    /** Whether nothing of the App is observed and this pass changes nothing in the cloud. */
    private boolean nothingLeft() {
        return !idx.anythingOwned() && !idx.listenerDefaultForwardsToUs() && observed.scalableTargets().isEmpty()
                && observed.scalingPolicies().isEmpty() && creates.isEmpty() && ruleActions.isEmpty() && updates.isEmpty()
                && removals.isEmpty();
    }

    /**
     * The App's teardown is complete when nothing is left now and the stored status already said
     * so (TornDown=True) at least {@link PlannerConfig#teardownSettle()} ago: two observations that
     * far apart, so a resource a lagging listing hid is not abandoned with the App's record.
     */
    private boolean teardownSettled() {
        if (!app.metadata().deleting() || !nothingLeft()) {
            return false;
        }
        return Conditions.find(app.status().conditions(), Condition.TORN_DOWN)
                .filter(c -> c.isTrue() && c.lastTransitionTime() != null)
                .map(c -> !now.isBefore(c.lastTransitionTime().plus(config.teardownSettle())))
                .orElse(false);
    }

    /** Versions whose record is being deleted and of which nothing is left (see {@link Plan#versionsTornDown()}). */
    private Set<String> versionsTornDown(List<Action> actions) {
        TreeSet<String> withResources = idx.versionsWithResources();
        Set<String> busyVersions = new HashSet<>();
        actions.stream().filter(Action::mutatesCloud).map(Action::version).filter(Objects::nonNull)
                .forEach(busyVersions::add);
        Set<String> out = new TreeSet<>();
        for (VersionPlan vp : plans.values()) {
            boolean retired = vp.category == Category.RETIRED || (vp.category == Category.DRAINING && vp.drained);
            if (vp.record.metadata().deleting() && retired && !withResources.contains(vp.id()) && !busyVersions.contains(vp.id())) {
                out.add(vp.id());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- 6. waits and statuses

    private void waitFor(VersionPlan vp, Duration d) {
        waitUntil(vp.record.key(), now.plus(d));
    }

    /** Instants in messages people read: to the second (clocks give nanoseconds). */
    private static Object toSecond(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS);
    }

    private void waitUntil(VersionKey key, Instant until) {
        if (nextWake == null || until.isBefore(nextWake)) {
            nextWake = until;
        }
        if (waits.stream().noneMatch(w -> key.version().equals(w.version()))) {
            Duration d = Duration.between(now, until);
            waits.add(new Action.Wait(key.app(), key.version(), "until " + toSecond(until), d.isNegative() ? Duration.ZERO : d));
        }
    }

    private static void note(VersionPlan vp, String why) {
        if (vp != null) {
            vp.busy(why);
        }
    }

    private Plan assemble() {
        List<Action> actions = new ArrayList<>();
        actions.addAll(creates);
        actions.addAll(ruleActions);
        actions.addAll(updates);
        actions.addAll(removals);
        actions.addAll(waits);
        for (VersionPlan vp : plans.values()) {
            AppVersionStatus status = versionStatus(vp);
            actions.add(new Action.WriteVersionStatus(vp.record.key(), status));
            if (vp.nextCheck != null && (vp.category == Category.ROUTABLE) && vp.nextCheck.isAfter(now)
                    && (nextWake == null || vp.nextCheck.isBefore(nextWake))) {
                nextWake = vp.nextCheck;
            }
            if (status.phase() == Phase.Provisioning) {
                Conditions.find(status.conditions(), Condition.READY).ifPresent(c -> {
                    Instant deadline = c.lastTransitionTime().plus(config.provisioningTimeout());
                    if (nextWake == null || deadline.isBefore(nextWake)) {
                        nextWake = deadline;
                    }
                });
            }
        }
        boolean deleting = app.metadata().deleting();
        AppStatus appStatus = deleting ? appStatusWhileDeleting() : appStatus();
        actions.add(new Action.WriteAppStatus(app.name(), appStatus));
        boolean complete = teardownSettled();
        if (deleting && !(creates.isEmpty() && ruleActions.isEmpty() && updates.isEmpty() && removals.isEmpty())
                && (nextWake == null || nextWake.isAfter(now.plus(config.pollWhileProgressing())))) {
            // Something was deleted (an app-wide rule may be the last thing): look again soon.
            nextWake = now.plus(config.pollWhileProgressing());
        }
        if (deleting && !complete && nothingLeft()) {
            // Look again once the settle time has passed since nothing was first seen.
            Instant since = Conditions.find(appStatus.conditions(), Condition.TORN_DOWN)
                    .map(Condition::lastTransitionTime).orElse(now);
            Instant settled = since.plus(config.teardownSettle());
            if (nextWake == null || settled.isBefore(nextWake)) {
                nextWake = settled;
            }
        }
        Duration requeue = nextWake == null ? null : Duration.between(now, nextWake);
        if (requeue != null && requeue.isNegative()) {
            requeue = Duration.ZERO;
        }
        Plan.Teardown teardown = new Plan.Teardown(complete, versionsTornDown(actions));
        // A teardown's actions are the controller's own decision, never a repair of drift.
        return new Plan(app.name(), actions, requeue, routing,
                deleting ? Map.of() : DriftRepairs.find(app, plans.values(), idx, live, canary, actions), teardown);
    }

    private AppVersionStatus versionStatus(VersionPlan vp) {
        AppVersionStatus prev = vp.prev;
        Phase phase = switch (vp.category) {
            case PENDING -> Phase.Pending;
            case PROVISIONING -> Phase.Provisioning;
            case FAILED -> Phase.Failed;
            case RETIRED -> Phase.Retired;
            case DRAINING -> vp.drained ? Phase.Retired : Phase.Draining;
            case ROUTABLE -> vp.id().equals(live) ? Phase.Live : vp.supersededAt != null ? Phase.Superseded : Phase.Ready;
        };
        List<Condition> conditions = prev.conditions();
        // Synced
        conditions = vp.busy == null
                ? Conditions.set(conditions, Condition.SYNCED, ConditionStatus.True, "Synced", "AWS matches the record", now)
                : Conditions.set(conditions, Condition.SYNCED, ConditionStatus.False, "Progressing", vp.busy, now);
        // Terminal
        if (phase == Phase.Failed) {
            conditions = Conditions.set(conditions, Condition.TERMINAL, ConditionStatus.True, vp.failure.reason(),
                    vp.failure.message(), now);
        } else {
            conditions = Conditions.remove(conditions, Condition.TERMINAL);
        }
        // Capacity
        if (vp.capacityProblem != null) {
            conditions = Conditions.set(conditions, Condition.CAPACITY, ConditionStatus.False, vp.capacityProblem.reason(),
                    vp.capacityProblem.message(), now);
        } else {
            conditions = Conditions.remove(conditions, Condition.CAPACITY);
        }
        // Ready; its transition time is when provisioning (re)started, which the timeout counts from.
        if (phase.routable()) {
            conditions = Conditions.set(conditions, Condition.READY, ConditionStatus.True, "Routable",
                    "healthy, and pinned requests reach it", now);
        } else {
            if (phase == Phase.Provisioning && (prev.phase() != Phase.Provisioning
                    || prev.observedGeneration() != vp.record.metadata().generation())) {
                conditions = Conditions.remove(conditions, Condition.READY);
            }
            conditions = Conditions.set(conditions, Condition.READY, ConditionStatus.False, phase.name(),
                    "not routable while " + phase, now);
        }
        ObservedTargetGroup tg = idx.targetGroupByVersion.get(vp.id());
        ObservedService svc = idx.serviceByVersion.get(vp.id());
        String taskDefinition = svc != null ? svc.taskDefinitionArn() : null;
        List<String> ruleArns = idx.pinRules(vp.id()).stream().map(ObservedRule::arn).toList();
        var b = prev.toBuilder()
                .phase(phase)
                .conditions(conditions)
                .observedGeneration(vp.record.metadata().generation())
                .resources(phase == Phase.Retired ? VersionResources.NONE
                        : new VersionResources(tg != null ? tg.arn() : null, svc != null ? svc.arn() : null, taskDefinition, ruleArns))
                .rulePriorities(phase.routable() ? vp.priorities : List.of())
                .runningCount(svc != null ? svc.runningCount() : 0)
                .desiredCount(vp.want >= 0 ? vp.want : svc != null ? svc.desiredCount() : 0)
                .lastReconcileTime(now)
                .message(message(vp, phase));
        if (phase.routable() && prev.readyAt() == null) {
            b.readyAt(now);
        }
        if (phase.routable()) {
            b.supersededAt(vp.supersededAt).expiresAt(vp.supersededAt == null ? null : vp.expiresAt);
        }
        if (phase == Phase.Draining || phase == Phase.Retired) {
            b.expiryReason(vp.expiryReason).expiresAt(vp.expiresAt != null ? vp.expiresAt : now)
                    .drainingSince(vp.drainingSince);
        }
        return b.build();
    }

    private String message(VersionPlan vp, Phase phase) {
        return switch (phase) {
            case Pending -> vp.capacityProblem != null ? "Waiting for capacity: " + vp.capacityProblem.text() : "Waiting to be admitted";
            case Provisioning -> vp.busy != null ? vp.busy : "Provisioning";
            case Ready -> canary != null && vp.id().equals(canary.version())
                    ? "Canary: " + canary.weight() + "% of unpinned traffic" : "Ready: pinned requests reach it";
            case Live -> "Live: serves unpinned traffic";
            case Superseded -> "Superseded at " + toSecond(vp.supersededAt) + "; pinned requests reach it until " + toSecond(vp.expiresAt);
            case Draining -> {
                String detail = String.join("; ", Stream.of(because(vp.expiryReason), vp.busy)
                        .filter(Objects::nonNull).toList());
                yield "Draining (" + vp.expiryReason + ")" + (detail.isEmpty() ? "" : ": " + detail);
            }
            case Retired -> "Retired (" + vp.expiryReason + ")"
                    + (because(vp.expiryReason) == null ? "" : ": " + because(vp.expiryReason)) + "; all resources deleted";
            case Failed -> vp.failure.text();
        };
    }

    /** Why a version leaves, for people, where the reason alone does not say it; else null. */
    private static String because(String reason) {
        return switch (reason == null ? "" : reason) {
            case REASON_APP_DELETED -> "the App is being deleted";
            case REASON_DELETED -> "its AppVersion record is being deleted";
            default -> null;
        };
    }

    /**
     * The status of an App being deleted: nothing is released any more, and {@code TornDown} says
     * what is left (False) or since when nothing has been (True).
     */
    private AppStatus appStatusWhileDeleting() {
        AppStatus prev = app.status();
        List<Condition> conditions = prev.conditions();
        boolean left = !nothingLeft();
        conditions = left || plans.values().stream().anyMatch(vp -> vp.busy != null)
                ? Conditions.set(conditions, Condition.SYNCED, ConditionStatus.False, "Progressing", "deleting the App's AWS resources", now)
                : Conditions.set(conditions, Condition.SYNCED, ConditionStatus.True, "Synced", "no AWS resource of the App is left", now);
        conditions = Conditions.set(conditions, Condition.RELEASED, ConditionStatus.False, REASON_APP_DELETED,
                "the App is being deleted; no version serves its traffic", now);
        conditions = Conditions.remove(conditions, Condition.CAPACITY);
        String what = whatIsLeft();
        conditions = left
                ? Conditions.set(conditions, Condition.TORN_DOWN, ConditionStatus.False, "Deleting", "left: " + what, now)
                : Conditions.set(conditions, Condition.TORN_DOWN, ConditionStatus.True, "NothingLeft",
                        "no AWS resource of the App is left", now);
        String message = left ? "Being deleted; left: " + what
                : "Being deleted; no AWS resource is left, the record goes once that is confirmed";
        return new AppStatus(app.metadata().generation(), null, null, 0, conditions, now, message);
    }

    /** A short inventory of what the App still has in AWS, e.g. "6 listener rules; v1: service, target group". */
    private String whatIsLeft() {
        List<String> parts = new ArrayList<>();
        if (idx.ownedRuleCount > 0) {
            parts.add(idx.ownedRuleCount + " listener rule" + (idx.ownedRuleCount == 1 ? "" : "s"));
        }
        for (String version : idx.versionsWithResources()) {
            List<String> kinds = new ArrayList<>();
            if (idx.serviceByVersion.containsKey(version)) {
                kinds.add("service");
            }
            if (idx.targetGroupByVersion.containsKey(version)
                    || idx.extraTargetGroups.stream().anyMatch(t -> version.equals(t.tags().get(OwnershipTags.VERSION)))) {
                kinds.add("target group");
            }
            if (idx.taskDefinitionsByVersion.containsKey(version)) {
                kinds.add("task definitions");
            }
            if (!kinds.isEmpty()) {
                parts.add(version + ": " + String.join(", ", kinds));
            }
        }
        if (parts.isEmpty()) {
            parts.add("changes in flight");
        }
        return String.join("; ", parts);
    }

    private AppStatus appStatus() {
        AppStatus prev = app.status();
        List<Condition> conditions = prev.conditions();
        boolean busy = !creates.isEmpty() || !ruleActions.isEmpty() || !updates.isEmpty() || !removals.isEmpty()
                || plans.values().stream().anyMatch(vp -> vp.busy != null);
        conditions = appRoutingProblem != null
                ? Conditions.set(conditions, Condition.SYNCED, ConditionStatus.False, appRoutingProblem.reason(),
                        appRoutingProblem.message(), now)
                : busy
                ? Conditions.set(conditions, Condition.SYNCED, ConditionStatus.False, "Progressing", "changes in flight", now)
                : Conditions.set(conditions, Condition.SYNCED, ConditionStatus.True, "Synced", "AWS matches the records", now);
        conditions = appCapacityProblem != null
                ? Conditions.set(conditions, Condition.CAPACITY, ConditionStatus.False,
                        appCapacityProblem.reason(), appCapacityProblem.message(), now)
                : Conditions.set(conditions, Condition.CAPACITY, ConditionStatus.True, "Available", "room for every version", now);
        conditions = releasedProblem != null
                ? Conditions.set(conditions, Condition.RELEASED, ConditionStatus.False, releasedProblem.reason(),
                        releasedProblem.message() + (live != null ? "; " + live + " stays live" : ""), now)
                : Conditions.set(conditions, Condition.RELEASED, ConditionStatus.True, "Released", live + " is live", now);
        String message = live == null ? "No version is live" : live + " is live"
                + (canary != null ? ", " + canary.version() + " gets " + canary.weight() + "% as canary" : "");
        return new AppStatus(app.metadata().generation(), live, canary == null ? null : canary.version(),
                canary == null ? 0 : canary.weight(), conditions, now, message);
    }
}
