package dev.skewless.operator;

import dev.skewless.engine.AppReconciler;
import dev.skewless.engine.PassResult;
import dev.skewless.engine.ReconcileObserver;
import dev.skewless.model.App;
import dev.skewless.model.validation.Problem;
import dev.skewless.platform.ComputePlatform;
import dev.skewless.router.TrafficRouter;
import dev.skewless.store.kubernetes.AppResource;
import dev.skewless.store.kubernetes.AppVersionResource;
import dev.skewless.store.kubernetes.KubernetesRecords;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * JOSDK's reconciler of {@code App} resources: each pass is the controller's own per-App pass
 * ({@link AppReconciler}: observe AWS, plan, execute, write statuses), over the App's records as
 * JOSDK's informers cache them ({@link CachedRecords}). AppVersions are a secondary event source
 * mapped to their App by {@code spec.app}, so any change to a version reconciles its App.
 *
 * <p>Before a pass: the records must bind and validate ({@link RecordValidity}); if one does not,
 * the App's records get {@code Valid=False} listing every problem and no pass runs, so nothing
 * for that App reaches AWS. Then every version gets the finalizer {@value KubernetesRecords#FINALIZER}
 * before the pass can create anything for it, so deleting an AppVersion resource means revoking
 * it: the planner drains and deletes its resources, and the finalizer is released once it reports
 * the version torn down. The App's own finalizer is JOSDK's ({@link Cleaner}): deleting an App
 * tears down everything it owns (rules first, then services, target groups, task definitions)
 * and the finalizer goes only when the planner reports nothing left.
 *
 * <p>Results: the plan's next wake-up becomes {@code rescheduleAfter}; a failed pass is thrown,
 * so JOSDK retries it with the engine's backoff ({@link BackoffRetry}); an invalid reference waits
 * for a change or the resync (JOSDK's maximum reconciliation interval), as in controller mode.
 */
public final class AppResourceReconciler implements Reconciler<AppResource>, Cleaner<AppResource> {
    private static final Logger log = LoggerFactory.getLogger(AppResourceReconciler.class);
    /** How soon a deletion that is still draining is looked at again when the plan names no time. */
    static final Duration TEARDOWN_POLL = Duration.ofSeconds(10);

    private final ComputePlatform compute;
    private final TrafficRouter router;
    private final AppReconciler.PlanFunction planner;
    private final InstantSource clock;
    private final BooleanSupplier mayAct;
    private final ReconcileObserver observer;
    private final KubernetesEvents events;
    private volatile InformerEventSource<AppVersionResource, AppResource> versionSource;

    /**
     * @param mayAct   whether this replica leads (JOSDK processes events only on the leader; this
     *                 also stops a pass in flight the moment leadership is lost)
     * @param observer the replica's event history and metrics
     */
    AppResourceReconciler(ComputePlatform compute, TrafficRouter router, AppReconciler.PlanFunction planner, InstantSource clock,
            BooleanSupplier mayAct, ReconcileObserver observer, KubernetesEvents events) {
        this.compute = Objects.requireNonNull(compute, "compute");
        this.router = Objects.requireNonNull(router, "router");
        this.planner = Objects.requireNonNull(planner, "planner");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mayAct = Objects.requireNonNull(mayAct, "mayAct");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public List<EventSource<?, AppResource>> prepareEventSources(EventSourceContext<AppResource> context) {
        var configuration = InformerEventSourceConfiguration.from(AppVersionResource.class, AppResource.class)
                .withName("appversions")
                .withSecondaryToPrimaryMapper(AppResourceReconciler::appOf)
                .withNamespacesInheritedFromController()
                .build();
        InformerEventSource<AppVersionResource, AppResource> source = new InformerEventSource<>(configuration, context);
        versionSource = source;
        return List.of(source);
    }

    /** The App a version belongs to: same namespace, named by {@code spec.app} (decision 035). */
    static Set<ResourceID> appOf(AppVersionResource version) {
        return KubernetesRecords.appOf(version).map(app -> Set.of(new ResourceID(app, version.getMetadata().getNamespace())))
                .orElse(Set.of());
    }

    @Override
    public UpdateControl<AppResource> reconcile(AppResource app, Context<AppResource> context) {
        CachedRecords records = new CachedRecords(context, versionSource, events);
        if (!valid(app, records, context)) {
            return UpdateControl.noUpdate();
        }
        addFinalizers(records, context);
        PassResult result = pass(records, app.getMetadata().getName());
        releaseFinalizers(records, context, result.versionsTornDown());
        return switch (result.outcome()) {
            case SUCCEEDED -> result.requeueAfter() == null ? UpdateControl.noUpdate()
                    : UpdateControl.<AppResource>noUpdate().rescheduleAfter(result.requeueAfter());
            case FAILED -> throw new PassFailedException(app.getMetadata().getName(), result.error());
            // Retrying does not fix a reference the spec gets wrong: a change or the resync does.
            case INVALID, GONE -> UpdateControl.noUpdate();
        };
    }

    @Override
    public DeleteControl cleanup(AppResource app, Context<AppResource> context) {
        String name = app.getMetadata().getName();
        CachedRecords records = new CachedRecords(context, versionSource, events);
        if (!valid(app, records, context)) {
            // What cannot be read cannot be torn down: the finalizer stays until the records are fixed.
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(TEARDOWN_POLL);
        }
        PassResult result = pass(records, name);
        releaseFinalizers(records, context, result.versionsTornDown());
        if (result.outcome() == PassResult.Outcome.FAILED) {
            throw new PassFailedException(name, result.error());
        }
        if (result.teardownComplete()) {
            // Nothing of the App is left in AWS: its versions' records hold nothing either.
            for (AppVersionResource v : records.versionResources()) {
                removeFinalizer(context, v);
            }
            log.atInfo().addKeyValue("app", name).addKeyValue("action", "ReleaseFinalizer").addKeyValue("outcome", "ok")
                    .log("every AWS resource of the App is gone; finalizer released");
            return DeleteControl.defaultDelete();
        }
        Duration again = result.requeueAfter() == null ? TEARDOWN_POLL : result.requeueAfter();
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(again);
    }

    /** The engine already wrote what failed on the records' statuses; JOSDK only retries. */
    @Override
    public ErrorStatusUpdateControl<AppResource> updateErrorStatus(AppResource app, Context<AppResource> context, Exception e) {
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    /** The controller's per-App pass over this App's cached records, with drift repairs recorded as events. */
    private PassResult pass(CachedRecords records, String app) {
        ReconcileObserver driftEvents = new ReconcileObserver() {
            @Override
            public void decided(Decision d) {
                if (d.driftKind() == null) {
                    return;
                }
                Optional<? extends HasMetadata> on = d.version() == null ? records.appResource()
                        : records.versionResources().stream().filter(v -> v.getMetadata().getName().equals(app + "." + d.version())).findFirst();
                on.ifPresent(r -> events.record(r, new RecordEvents.Note(false, RecordEvents.DRIFT_REPAIRED,
                        "drift repaired (" + d.driftKind() + "): " + d.message())));
            }
        };
        AppReconciler reconciler = new AppReconciler(records, compute, router, planner, clock, mayAct,
                ReconcileObserver.all(List.of(observer, driftEvents)));
        return reconciler.reconcile(app);
    }

    /**
     * Checks the App's records; marks them {@code Valid=False} (one event per new verdict) when
     * they are not valid, or clears an earlier verdict when they are.
     */
    private boolean valid(AppResource app, CachedRecords records, Context<AppResource> context) {
        List<AppVersionResource> versions = records.versionResources();
        List<AppResource> apps = context.getPrimaryCache().list().toList();
        RecordValidity.Verdict verdict = RecordValidity.check(app, versions, earlierApps(app, apps), nameTakenBy(app, apps));
        String name = app.getMetadata().getName();
        if (verdict.valid()) {
            if (RecordValidity.invalidMessage(app.getStatus()) != null) {
                records.writeAppStatusJson(RecordValidity::cleared);
            }
            for (AppVersionResource v : versions) {
                if (RecordValidity.invalidMessage(v.getStatus()) != null) {
                    records.writeVersionStatusJson(v, RecordValidity::cleared);
                }
            }
            return true;
        }
        String appMessage = RecordValidity.message(verdict.all());
        boolean news = !appMessage.equals(RecordValidity.invalidMessage(app.getStatus()));
        // One WARN line per verdict; passes that find the same problems again say so at DEBUG.
        log.atLevel(news ? Level.WARN : Level.DEBUG).addKeyValue("app", name).addKeyValue("action", "Validate")
                .addKeyValue("outcome", "invalid").addKeyValue("problems", verdict.all().size())
                .log("records not valid; nothing for this App reaches AWS: " + appMessage);
        if (news) {
            AppResource written = records.writeAppStatusJson(s -> RecordValidity.invalid(s, verdict.all(), clock.instant()));
            events.record(written, new RecordEvents.Note(true, RecordEvents.INVALID,
                    "nothing for App " + name + " reaches AWS until its records are fixed: " + appMessage));
        }
        for (AppVersionResource v : versions) {
            List<Problem> own = verdict.versions().getOrDefault(v.getMetadata().getName(), List.of());
            if (own.isEmpty()) {
                continue;
            }
            String message = RecordValidity.message(own);
            if (!message.equals(RecordValidity.invalidMessage(v.getStatus()))) {
                AppVersionResource written = records.writeVersionStatusJson(v, s -> RecordValidity.invalid(s, own, clock.instant()));
                events.record(written, new RecordEvents.Note(true, RecordEvents.INVALID, message));
            }
        }
        return false;
    }

    /** Apps (any watched namespace) created before {@code app}, that bind: the ones it must not overlap. */
    private static List<App> earlierApps(AppResource app, List<AppResource> apps) {
        Comparator<AppResource> age = age();
        return apps.stream().filter(a -> age.compare(a, app) < 0).map(KubernetesRecords::app)
                .filter(KubernetesRecords.Bound::valid).map(KubernetesRecords.Bound::record).toList();
    }

    /** The namespace of an older App of the same name, if another watched namespace has one. */
    private static String nameTakenBy(AppResource app, List<AppResource> apps) {
        Comparator<AppResource> age = age();
        return apps.stream().filter(a -> a.getMetadata().getName().equals(app.getMetadata().getName())
                        && !a.getMetadata().getNamespace().equals(app.getMetadata().getNamespace()) && age.compare(a, app) < 0)
                .map(a -> a.getMetadata().getNamespace()).findFirst().orElse(null);
    }

    /** Oldest first: creation time (RFC 3339 in whole seconds sorts as text), then namespace, then name. */
    private static Comparator<AppResource> age() {
        return Comparator.comparing((AppResource a) -> a.getMetadata().getCreationTimestamp(), Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(a -> a.getMetadata().getNamespace())
                .thenComparing(a -> a.getMetadata().getName());
    }

    /** Every version not being deleted carries the finalizer before the pass can create anything for it. */
    private void addFinalizers(CachedRecords records, Context<AppResource> context) {
        for (AppVersionResource v : records.versionResources()) {
            if (v.getMetadata().getDeletionTimestamp() == null && !v.hasFinalizer(KubernetesRecords.FINALIZER)) {
                AppVersionResource updated = PrimaryUpdateAndCacheUtils.addFinalizer(context.getClient(), v, KubernetesRecords.FINALIZER);
                versionSource.handleRecentResourceUpdate(ResourceID.fromResource(updated), updated, v);
            }
        }
    }

    /** Releases the finalizers of deleted versions whose AWS resources the pass found all gone. */
    private void releaseFinalizers(CachedRecords records, Context<AppResource> context, Set<String> versionsTornDown) {
        if (versionsTornDown.isEmpty()) {
            return;
        }
        String app = context.getPrimaryResource().getMetadata().getName();
        for (AppVersionResource v : records.versionResources()) {
            String name = v.getMetadata().getName();
            if (v.getMetadata().getDeletionTimestamp() != null && name.startsWith(app + ".")
                    && versionsTornDown.contains(name.substring(app.length() + 1))) {
                removeFinalizer(context, v);
                log.atInfo().addKeyValue("app", app).addKeyValue("version", name.substring(app.length() + 1))
                        .addKeyValue("action", "ReleaseFinalizer").addKeyValue("outcome", "ok")
                        .log("the deleted version's AWS resources are gone; finalizer released");
            }
        }
    }

    private void removeFinalizer(Context<AppResource> context, AppVersionResource v) {
        if (v.hasFinalizer(KubernetesRecords.FINALIZER)) {
            PrimaryUpdateAndCacheUtils.removeFinalizer(context.getClient(), v, KubernetesRecords.FINALIZER);
        }
    }

    /** A pass that failed; thrown so JOSDK retries it with the engine's backoff. */
    static final class PassFailedException extends RuntimeException {
        PassFailedException(String app, String error) {
            super("pass over App " + app + " failed: " + error, null, false, false);
        }
    }
}
