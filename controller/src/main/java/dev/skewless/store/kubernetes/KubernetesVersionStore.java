package dev.skewless.store.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.VersionKey;
import dev.skewless.store.StoreConflictException;
import dev.skewless.store.VersionStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VersionStore} on the Kubernetes API: App and AppVersion custom resources in one
 * namespace (decision 036).
 *
 * <ul>
 *   <li>Spec and status are written separately: apply updates metadata labels and spec (a PUT
 *       of the main resource, which the API server never lets touch status); a status write
 *       goes through the status subresource, which never touches spec. Both carry the
 *       {@code resourceVersion} they read; on 409 they read again and retry.</li>
 *   <li>Generations are the API server's: it bumps {@code metadata.generation} only when spec
 *       changes. Apply compares the bound specs first and leaves a spec that means the same
 *       alone, so an identical apply (or one differing only in defaults written out) bumps
 *       nothing. A non-zero expected generation must equal the stored one.</li>
 *   <li>Versions of an App are the AppVersions whose {@code spec.app} names it (the label is a
 *       convenience, not relied on). They are ordered by the creation time skewless writes in
 *       the annotation {@code skewless.dev/created} (strictly increasing within an App), else
 *       by the API server's.</li>
 *   <li>A resource that does not bind never stops other records from being read:
 *       {@link #listApps} leaves an invalid App out; {@link #getApp}, {@link #getVersion} and
 *       {@link #listVersions} of the App it belongs to throw {@link InvalidResourceException}.
 *       {@link #invalidResources()} lists them all with their problems (the operator's
 *       {@code Valid=False} condition). Status writes leave it alone; an apply replaces its spec
 *       (that is how it gets fixed).</li>
 *   <li>{@link #watch} runs informers on both kinds.</li>
 * </ul>
 */
public final class KubernetesVersionStore implements VersionStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KubernetesVersionStore.class);
    /** Attempts of a write that keeps losing races (409) with other writers. */
    private static final int ATTEMPTS = 10;

    private final KubernetesClient client;
    private final String namespace;
    private final InstantSource clock;
    private final Set<String> reportedInvalid = ConcurrentHashMap.newKeySet();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    /**
     * @param client    the API client (closed by its owner, not by the store)
     * @param namespace where the records are
     * @param clock     creation times of new records
     */
    public KubernetesVersionStore(KubernetesClient client, String namespace, InstantSource clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The namespace the records are in. */
    public String namespace() {
        return namespace;
    }

    private MixedOperation<AppResource, KubernetesResourceList<AppResource>, Resource<AppResource>> apps() {
        return client.resources(AppResource.class);
    }

    private MixedOperation<AppVersionResource, KubernetesResourceList<AppVersionResource>, Resource<AppVersionResource>> versions() {
        return client.resources(AppVersionResource.class);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public List<App> listApps() {
        List<App> out = new ArrayList<>();
        for (AppResource r : apps().inNamespace(namespace).list().getItems()) {
            KubernetesRecords.Bound<App> bound = KubernetesRecords.app(r);
            if (bound.valid()) {
                out.add(bound.record());
            } else {
                reportInvalid(bound, r);
            }
        }
        out.sort(Comparator.comparing(App::name));
        return out;
    }

    /**
     * @throws InvalidResourceException when the App's resource does not bind
     */
    @Override
    public Optional<App> getApp(String name) {
        return Optional.ofNullable(apps().inNamespace(namespace).withName(name).get()).map(r -> valid(KubernetesRecords.app(r)));
    }

    /**
     * @throws InvalidResourceException when a version of the App does not bind (planning without
     *                                  it would take its AWS resources for orphans)
     */
    @Override
    public List<AppVersion> listVersions(String app) {
        List<AppVersion> out = new ArrayList<>();
        List<KubernetesRecords.Bound<?>> invalid = new ArrayList<>();
        for (AppVersionResource r : versions().inNamespace(namespace).list().getItems()) {
            if (!KubernetesRecords.appOf(r).map(app::equals).orElse(false)) {
                continue;
            }
            KubernetesRecords.Bound<AppVersion> bound = KubernetesRecords.version(r);
            if (bound.valid()) {
                out.add(bound.record());
            } else {
                invalid.add(bound);
            }
        }
        if (!invalid.isEmpty()) {
            throw new InvalidResourceException(invalid);
        }
        out.sort(Comparator.comparing((AppVersion v) -> v.metadata().creationTimestamp()).thenComparing(AppVersion::id));
        return out;
    }

    /**
     * @throws InvalidResourceException when the version's resource does not bind
     */
    @Override
    public Optional<AppVersion> getVersion(VersionKey key) {
        return Optional.ofNullable(versions().inNamespace(namespace).withName(KubernetesRecords.resourceName(key)).get())
                .map(r -> valid(KubernetesRecords.version(r)));
    }

    /**
     * Every App and AppVersion resource in the namespace that does not bind, each with every
     * problem and its field path, Apps first, by name.
     */
    public List<KubernetesRecords.Bound<?>> invalidResources() {
        List<KubernetesRecords.Bound<?>> out = new ArrayList<>();
        apps().inNamespace(namespace).list().getItems().stream().map(KubernetesRecords::app).filter(b -> !b.valid())
                .sorted(Comparator.comparing(b -> b.name())).forEach(out::add);
        versions().inNamespace(namespace).list().getItems().stream().map(KubernetesRecords::version).filter(b -> !b.valid())
                .sorted(Comparator.comparing(b -> b.name())).forEach(out::add);
        return out;
    }

    private static <T> T valid(KubernetesRecords.Bound<T> bound) {
        if (!bound.valid()) {
            throw new InvalidResourceException(List.of(bound));
        }
        return bound.record();
    }

    private void reportInvalid(KubernetesRecords.Bound<?> bound, HasMetadata r) {
        // Once per resource version: the controller lists every few seconds.
        if (reportedInvalid.add(bound.kind() + "/" + bound.name() + "@" + r.getMetadata().getResourceVersion())) {
            log.atWarn().addKeyValue("kind", bound.kind()).addKeyValue("name", bound.name()).addKeyValue("app", bound.app())
                    .addKeyValue("problems", bound.problems().toString()).log("resource does not bind; left out until fixed");
        }
    }

    // ---------------------------------------------------------------- spec writes

    @Override
    public App applyApp(App app) {
        Objects.requireNonNull(app, "app");
        return apply("App " + app.name(), apps(), app.name(), app.metadata().generation(),
                () -> KubernetesRecords.resource(app.withMetadata(app.metadata().stored(0, clock.instant()))),
                KubernetesRecords::app,
                current -> current.spec().equals(app.spec()),
                () -> KubernetesRecords.resource(app));
    }

    @Override
    public AppVersion applyVersion(AppVersion version) {
        Objects.requireNonNull(version, "version");
        if (apps().inNamespace(namespace).withName(version.app()).get() == null) {
            throw new StoreConflictException("App " + version.app() + " does not exist in namespace " + namespace
                    + "; apply the App before its versions");
        }
        return apply("AppVersion " + version.key(), versions(), KubernetesRecords.resourceName(version.key()),
                version.metadata().generation(),
                () -> KubernetesRecords.resource(version.withMetadata(version.metadata().stored(0, nextCreationTime(version.app())))),
                KubernetesRecords::version,
                current -> current.spec().equals(version.spec()),
                () -> KubernetesRecords.resource(version));
    }

    /** Now, or just after the App's newest version when the clock has not moved past it. */
    private Instant nextCreationTime(String app) {
        Instant now = clock.instant();
        Instant newest = null;
        for (AppVersionResource r : versions().inNamespace(namespace).list().getItems()) {
            if (KubernetesRecords.appOf(r).map(app::equals).orElse(false)) {
                Instant created = KubernetesRecords.creationTimestamp(r.getMetadata());
                if (created != null && (newest == null || created.isAfter(newest))) {
                    newest = created;
                }
            }
        }
        return newest != null && !now.isAfter(newest) ? newest.plusNanos(1) : now;
    }

    /**
     * Create-or-update of labels and spec with the API server's optimistic locking.
     *
     * @param expectedGeneration the caller's generation, 0 for no opinion
     * @param created            the resource to create (with skewless's creation time)
     * @param bind               resource to record
     * @param sameSpec           whether a stored record's spec means the caller's
     * @param desired            the resource with the caller's labels and spec
     */
    private <R extends HasMetadata, T> T apply(String what, MixedOperation<R, ?, Resource<R>> op, String name, long expectedGeneration,
            Supplier<R> created, Function<R, KubernetesRecords.Bound<T>> bind,
            Predicate<T> sameSpec, Supplier<R> desired) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            R current = op.inNamespace(namespace).withName(name).get();
            if (current == null) {
                if (expectedGeneration != 0) {
                    throw new StoreConflictException(what + " was expected at generation " + expectedGeneration
                            + " but does not exist (deleted since it was read?)");
                }
                try {
                    R stored = op.inNamespace(namespace).resource(created.get()).create();
                    log.atInfo().addKeyValue("record", what).addKeyValue("namespace", namespace).log("record created");
                    return valid(bind.apply(stored));
                } catch (KubernetesClientException e) {
                    if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                        continue; // created by someone else meanwhile: update it instead
                    }
                    throw refused(what, e);
                }
            }
            long stored = current.getMetadata().getGeneration() == null ? 0 : current.getMetadata().getGeneration();
            if (expectedGeneration != 0 && expectedGeneration != stored) {
                throw new StoreConflictException(what + " changed since it was read: expected generation " + expectedGeneration
                        + ", stored " + stored + "; read it again and reapply");
            }
            KubernetesRecords.Bound<T> currentRecord = bind.apply(current);
            R wanted = desired.get();
            boolean keepSpec = currentRecord.valid() && sameSpec.test(currentRecord.record());
            Map<String, String> labels = wanted.getMetadata().getLabels() == null ? Map.of() : wanted.getMetadata().getLabels();
            Map<String, String> currentLabels = current.getMetadata().getLabels() == null ? Map.of() : current.getMetadata().getLabels();
            if (keepSpec && labels.equals(currentLabels)) {
                return currentRecord.record(); // identical apply: no write, no new generation
            }
            R next = withLabelsAndSpec(current, labels, keepSpec ? null : wanted);
            try {
                R written = op.inNamespace(namespace).resource(next).update();
                log.atInfo().addKeyValue("record", what).addKeyValue("namespace", namespace)
                        .addKeyValue("generation", written.getMetadata().getGeneration()).addKeyValue("specChanged", !keepSpec)
                        .log("record updated");
                return valid(bind.apply(written));
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw refused(what, e);
                }
                // Someone wrote in between (a status write, another apply): read again; a caller's
                // expected generation is checked against what is stored now.
                log.atDebug().addKeyValue("record", what).addKeyValue("attempt", attempt).log("lost an update race, retrying");
            }
        }
        throw new StoreConflictException(what + " kept changing during apply; try again");
    }

    /** {@code current} with new labels and, when {@code spec} is given, its spec. */
    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> R withLabelsAndSpec(R current, Map<String, String> labels, R spec) {
        current.getMetadata().setLabels(labels.isEmpty() ? null : new HashMap<>(labels));
        if (spec != null) {
            switch (current) {
                case AppResource a -> a.setSpec(((AppResource) spec).getSpec());
                case AppVersionResource v -> v.setSpec(((AppVersionResource) spec).getSpec());
                default -> throw new IllegalArgumentException("not a skewless resource: " + current.getKind());
            }
        }
        return current;
    }

    // ---------------------------------------------------------------- status writes

    @Override
    public void writeAppStatus(String app, AppStatus status) {
        ObjectNode block = KubernetesRecords.status(status);
        writeStatus("App " + app, apps(), app, r -> {
            r.setStatus(block);
            return r;
        });
    }

    @Override
    public void writeVersionStatus(VersionKey key, AppVersionStatus status) {
        ObjectNode block = KubernetesRecords.status(status);
        writeStatus("AppVersion " + key, versions(), KubernetesRecords.resourceName(key), r -> {
            r.setStatus(block);
            return r;
        });
    }

    private <R extends HasMetadata> void writeStatus(String what, MixedOperation<R, ?, Resource<R>> op, String name, UnaryOperator<R> set) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            R current = op.inNamespace(namespace).withName(name).get();
            if (current == null) {
                throw new StoreConflictException(what + " does not exist in namespace " + namespace);
            }
            try {
                op.inNamespace(namespace).resource(set.apply(current)).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    throw new StoreConflictException(what + " was deleted during the status write");
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw refused(what, e);
                }
                log.atDebug().addKeyValue("record", what).addKeyValue("attempt", attempt).log("status write lost a race, retrying");
            }
        }
        throw new StoreConflictException(what + " kept changing during the status write; try again");
    }

    private RuntimeException refused(String what, KubernetesClientException e) {
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return new IllegalStateException("the API server refused the write of " + what + " in namespace " + namespace + ": " + reason, e);
    }

    // ---------------------------------------------------------------- watch

    @Override
    public AutoCloseable watch(Consumer<String> listener) {
        Objects.requireNonNull(listener, "listener");
        SharedIndexInformer<AppResource> appInformer = apps().inNamespace(namespace)
                .inform(handler(r -> Optional.ofNullable(r.getMetadata().getName()), listener), 0);
        SharedIndexInformer<AppVersionResource> versionInformer = versions().inNamespace(namespace)
                .inform(handler(KubernetesRecords::appOf, listener), 0);
        synchronized (informers) {
            informers.add(appInformer);
            informers.add(versionInformer);
        }
        return () -> {
            appInformer.close();
            versionInformer.close();
            synchronized (informers) {
                informers.remove(appInformer);
                informers.remove(versionInformer);
            }
        };
    }

    private static <R> ResourceEventHandler<R> handler(Function<R, Optional<String>> appOf, Consumer<String> listener) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(R r) {
                appOf.apply(r).ifPresent(listener);
            }

            @Override
            public void onUpdate(R before, R after) {
                appOf.apply(after).ifPresent(listener);
            }

            @Override
            public void onDelete(R r, boolean finalStateUnknown) {
                appOf.apply(r).ifPresent(listener);
            }
        };
    }

    /** Stops every watch; the client stays open (its owner closes it). */
    @Override
    public void close() {
        synchronized (informers) {
            informers.forEach(SharedIndexInformer::close);
            informers.clear();
        }
    }
}
