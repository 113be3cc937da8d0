package dev.skewless.operator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.VersionKey;
import dev.skewless.store.StoreConflictException;
import dev.skewless.store.VersionStore;
import dev.skewless.store.kubernetes.AppResource;
import dev.skewless.store.kubernetes.AppVersionResource;
import dev.skewless.store.kubernetes.KubernetesRecords;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The records of one App's pass as the engine's {@link VersionStore}, read from JOSDK's informer
 * caches (the App from the primary cache, its versions from the AppVersion event source) and
 * written through the status subresource with optimistic locking: a conflict re-reads the record
 * and writes again, and the written resource goes into the cache at once, so the next pass never
 * plans from a status older than its own write.
 *
 * <p>Only what the engine's pass uses is supported: reads, and status writes of this App and its
 * versions. Specs are written by people and GitOps tools, never by the operator; the informers
 * are the watch. Every status write that is a transition (a phase reached, a release, a failure)
 * is also recorded as a Kubernetes Event on the record ({@link RecordEvents}).
 *
 * <p>Apps of other namespaces with the same name are not visible here: {@link AppResourceReconciler}
 * refuses an App whose name an older App in another watched namespace already uses, since AWS
 * resources are named after the App.
 */
final class CachedRecords implements VersionStore {
    private static final int MAX_CONFLICT_RETRIES = 5;

    private final Context<AppResource> context;
    private final InformerEventSource<AppVersionResource, AppResource> versionSource;
    private final KubernetesEvents events;
    private final String namespace;
    private final String appName;

    CachedRecords(Context<AppResource> context, InformerEventSource<AppVersionResource, AppResource> versionSource,
            KubernetesEvents events) {
        this.context = Objects.requireNonNull(context, "context");
        this.versionSource = Objects.requireNonNull(versionSource, "versionSource");
        this.events = Objects.requireNonNull(events, "events");
        this.namespace = context.getPrimaryResource().getMetadata().getNamespace();
        this.appName = context.getPrimaryResource().getMetadata().getName();
    }

    /** The App's resource as cached now (after this pass's own writes), if it still exists. */
    Optional<AppResource> appResource() {
        return context.getPrimaryCache().get(new ResourceID(appName, namespace));
    }

    /** The App's version resources as cached now. */
    List<AppVersionResource> versionResources() {
        return appResource().map(versionSource::getSecondaryResources).orElseGet(Set::of).stream()
                .sorted(Comparator.comparing(r -> r.getMetadata().getName())).toList();
    }

    /** Every App of the watched namespaces that binds, oldest name first: for the engine's shadowing check. */
    @Override
    public List<App> listApps() {
        Map<String, App> byName = new LinkedHashMap<>();
        context.getPrimaryCache().list()
                .map(KubernetesRecords::app)
                .filter(KubernetesRecords.Bound::valid)
                .map(KubernetesRecords.Bound::record)
                .sorted(Comparator.comparing((App a) -> a.metadata().creationTimestamp(), Comparator.nullsLast(Comparator.naturalOrder())))
                .forEach(a -> byName.putIfAbsent(a.name(), a));
        return byName.values().stream().sorted(Comparator.comparing(App::name)).toList();
    }

    @Override
    public Optional<App> getApp(String name) {
        if (!appName.equals(name)) {
            return listApps().stream().filter(a -> a.name().equals(name)).findFirst();
        }
        return appResource().map(CachedRecords::bound);
    }

    @Override
    public List<AppVersion> listVersions(String app) {
        requireThisApp(app);
        return versionResources().stream().map(CachedRecords::bound)
                .sorted(Comparator.comparing((AppVersion v) -> v.metadata().creationTimestamp(),
                        Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(AppVersion::id))
                .toList();
    }

    @Override
    public Optional<AppVersion> getVersion(VersionKey key) {
        requireThisApp(key.app());
        return versionResource(key).map(CachedRecords::bound);
    }

    private Optional<AppVersionResource> versionResource(VersionKey key) {
        String name = KubernetesRecords.resourceName(key);
        return versionResources().stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
    }

    /** Specs are never written by the operator. */
    @Override
    public App applyApp(App app) {
        throw new UnsupportedOperationException("the operator writes no specs; App " + app.name() + " is applied with kubectl or skewless apply");
    }

    /** Specs are never written by the operator. */
    @Override
    public AppVersion applyVersion(AppVersion version) {
        throw new UnsupportedOperationException("the operator writes no specs; AppVersion " + version.key()
                + " is applied with kubectl or skewless apply");
    }

    @Override
    public void writeAppStatus(String app, AppStatus status) {
        requireThisApp(app);
        AppStatus before = appResource().flatMap(r -> KubernetesRecords.app(r).value()).map(App::status).orElse(null);
        AppResource written = writeAppStatusJson(s -> KubernetesRecords.status(status));
        RecordEvents.forApp(app, before, status).forEach(note -> events.record(written, note));
    }

    @Override
    public void writeVersionStatus(VersionKey key, AppVersionStatus status) {
        requireThisApp(key.app());
        AppVersionResource current = versionResource(key)
                .orElseThrow(() -> new StoreConflictException("AppVersion " + key + " no longer exists"));
        AppVersionStatus before = KubernetesRecords.version(current).value().map(AppVersion::status).orElse(null);
        AppVersionResource written = writeVersionStatusJson(current, s -> KubernetesRecords.status(status));
        RecordEvents.forVersion(key.version(), before, status).forEach(note -> events.record(written, note));
    }

    /**
     * Replaces the App's status with {@code next} of the stored one, through the status
     * subresource with optimistic locking (JOSDK re-reads and retries on a conflict and caches
     * the result).
     *
     * @return the App as written
     * @throws StoreConflictException when the App no longer exists
     */
    AppResource writeAppStatusJson(UnaryOperator<ObjectNode> next) {
        AppResource current = appResource().orElseThrow(() -> new StoreConflictException("App " + appName + " no longer exists"));
        try {
            return PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(current, context, r -> {
                AppResource copy = clone(r);
                copy.setStatus(next.apply(r.getStatus()));
                return copy;
            });
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw new StoreConflictException("App " + appName + " no longer exists");
            }
            throw e;
        }
    }

    /**
     * Replaces a version's status with {@code next} of the stored one, with optimistic locking;
     * on a conflict (someone changed the record since it was cached) re-reads it from the API
     * server and writes again. The result goes into the event source's cache, as JOSDK does for
     * the primary.
     *
     * @return the version as written
     * @throws StoreConflictException when the version no longer exists
     */
    AppVersionResource writeVersionStatusJson(AppVersionResource cached, UnaryOperator<ObjectNode> next) {
        String name = cached.getMetadata().getName();
        AppVersionResource base = cached;
        for (int attempt = 0; ; attempt++) {
            AppVersionResource copy = clone(base);
            copy.setStatus(next.apply(base.getStatus()));
            try {
                AppVersionResource written = context.getClient().resource(copy).updateStatus();
                versionSource.handleRecentResourceUpdate(ResourceID.fromResource(written), written, cached);
                return written;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    throw new StoreConflictException("AppVersion " + name + " no longer exists");
                }
                if (e.getCode() != 409 || attempt >= MAX_CONFLICT_RETRIES) {
                    throw e;
                }
                base = context.getClient().resources(AppVersionResource.class).inNamespace(namespace).withName(name).get();
                if (base == null) {
                    throw new StoreConflictException("AppVersion " + name + " no longer exists");
                }
            }
        }
    }

    /** The informers are the watch: the operator's engine is JOSDK's event loop, which never calls this. */
    @Override
    public AutoCloseable watch(Consumer<String> listener) {
        throw new UnsupportedOperationException("the operator is driven by its informers; read records with a KubernetesVersionStore to watch");
    }

    private void requireThisApp(String app) {
        if (!appName.equals(app)) {
            throw new IllegalArgumentException("this pass is for App " + appName + ", not " + app);
        }
    }

    private <R extends HasMetadata> R clone(R resource) {
        return context.getControllerConfiguration().getConfigurationService().getResourceCloner().clone(resource);
    }

    /** A record the reconciler has validated before the pass; one that no longer binds changed since, and the pass retries. */
    private static App bound(AppResource resource) {
        KubernetesRecords.Bound<App> b = KubernetesRecords.app(resource);
        return b.value().orElseThrow(() -> new IllegalStateException("changed during the pass and no longer valid: " + b.describeProblems()));
    }

    private static AppVersion bound(AppVersionResource resource) {
        KubernetesRecords.Bound<AppVersion> b = KubernetesRecords.version(resource);
        return b.value().orElseThrow(() -> new IllegalStateException("changed during the pass and no longer valid: " + b.describeProblems()));
    }
}
