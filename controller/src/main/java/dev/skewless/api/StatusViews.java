package dev.skewless.api;

import dev.skewless.api.Views.AppDetail;
import dev.skewless.api.Views.AppSummary;
import dev.skewless.api.Views.Canary;
import dev.skewless.api.Views.ConditionView;
import dev.skewless.api.Views.EventView;
import dev.skewless.api.Views.VersionView;
import dev.skewless.engine.ReconcileObserver;
import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.DurationText;
import dev.skewless.model.Phase;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.RoutingSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Records to API views: one place that decides how the model looks on the wire. */
final class StatusViews {
    private StatusViews() {}

    static AppSummary summary(App app, List<AppVersion> versions) {
        AppStatus s = app.status();
        return new AppSummary(app.name(), s.liveVersion(), canary(s), versions.size(), phaseCounts(versions),
                conditions(s.conditions()), time(s.lastReconcileTime()));
    }

    static AppDetail detail(App app, List<AppVersion> versions) {
        AppSummary sum = summary(app, versions);
        ReleaseSpec release = app.spec().release();
        RoutingSpec routing = app.spec().routing();
        RouterSpec router = app.spec().router();
        RetentionSpec retention = app.spec().retention();
        return new AppDetail(sum.name(), sum.liveVersion(), sum.canary(), sum.versionCount(), sum.phaseCounts(), sum.conditions(),
                sum.lastReconcileTime(),
                new Views.Release(release.live(),
                        release.canary() == null ? null : new Canary(release.canary().version(), release.canary().weight())),
                new Views.Routing(routing.header(), routing.query(), routing.cookieEnabled() ? routing.cookie() : null,
                        routing.onExpired().name().toLowerCase(Locale.ROOT), router.pathPatterns(), router.hostHeaders(),
                        router.listenerArn(), new Views.Priorities(router.priorities().from(), router.priorities().to())),
                new Views.Retention(duration(retention.defaultWindow()), duration(retention.min()), duration(retention.max()),
                        duration(retention.idleExpiry()), retention.maxVersions()),
                app.status().observedGeneration(), app.metadata().generation());
    }

    static VersionView version(App app, AppVersion v) {
        AppVersionStatus s = v.status();
        AppStatus appStatus = app.status();
        boolean canary = v.id().equals(appStatus.canaryVersion());
        return new VersionView(v.app(), v.id(), s.phase().name(), v.id().equals(appStatus.liveVersion()),
                canary ? appStatus.canaryWeight() : null, v.spec().revoked(), v.spec().image(), v.metadata().generation(),
                s.observedGeneration(), s.desiredCount(), s.runningCount(), time(v.metadata().creationTimestamp()), time(s.readyAt()),
                time(s.supersededAt()), time(s.expiresAt()), time(s.drainingSince()), s.expiryReason(), time(s.lastReconcileTime()),
                s.message(), conditions(s.conditions()),
                new Views.Resources(s.resources().targetGroupArn(), s.resources().serviceArn(), s.resources().taskDefinitionArn(),
                        s.resources().ruleArns()),
                s.rulePriorities());
    }

    /** Newest first (the store lists oldest first). */
    static List<VersionView> versions(App app, List<AppVersion> versions) {
        return versions.reversed().stream().map(v -> version(app, v)).toList();
    }

    static EventView event(ReconcileObserver.Decision d) {
        return new EventView(time(d.time()), d.app(), d.version(), d.action(), d.outcome(), d.message());
    }

    private static Canary canary(AppStatus s) {
        return s.canaryVersion() == null ? null : new Canary(s.canaryVersion(), s.canaryWeight());
    }

    /** Counts of the phases present, in lifecycle order. */
    private static Map<String, Integer> phaseCounts(List<AppVersion> versions) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            int n = (int) versions.stream().filter(v -> v.status().phase() == p).count();
            if (n > 0) {
                out.put(p.name(), n);
            }
        }
        return out;
    }

    private static List<ConditionView> conditions(List<Condition> conditions) {
        return conditions.stream()
                .map(c -> new ConditionView(c.type(), c.status().name(), c.reason(), c.message(), time(c.lastTransitionTime())))
                .toList();
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String duration(Duration d) {
        return d == null ? null : DurationText.format(d);
    }
}
