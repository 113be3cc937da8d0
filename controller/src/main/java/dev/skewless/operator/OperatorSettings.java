package dev.skewless.operator;

import dev.skewless.engine.EngineConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How {@code skewless operator} runs.
 *
 * @param namespaces     namespaces whose App and AppVersion records it reconciles; empty for the
 *                       namespace of its kubeconfig context (in a pod: its own), {@code *} alone
 *                       for every namespace
 * @param leaseName      name of the coordination.k8s.io Lease the replicas compete for
 * @param leaseNamespace namespace of the Lease; null for the kubeconfig context's (in a pod: its own)
 * @param identity       this replica's name in the Lease; null for {@code HOSTNAME} (the pod name)
 * @param leaseDuration  how long a holder that stopped renewing keeps the Lease
 * @param renewDeadline  how long the leader keeps trying to renew before it gives up leading
 * @param retryPeriod    how often a standby tries to acquire and the leader renews
 * @param engine         the controller's engine settings, used the same way: {@code workers}
 *                       reconciliations at once, a pass per App at least every {@code resyncPeriod},
 *                       failed passes retried with {@code backoff}
 * @param statusRefresh  how often the status feed re-reads everything regardless of change hints
 */
public record OperatorSettings(Set<String> namespaces, String leaseName, String leaseNamespace, String identity,
        Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, EngineConfig engine, Duration statusRefresh) {

    /** Namespaces to watch, comma-separated ({@code *} for all). */
    public static final String NAMESPACES_ENV = "SKEWLESS_NAMESPACES";
    /** The Lease's name. */
    public static final String LEASE_NAME_ENV = "SKEWLESS_LEASE_NAME";
    /** The Lease's namespace. */
    public static final String LEASE_NAMESPACE_ENV = "SKEWLESS_LEASE_NAMESPACE";
    /** Every namespace. */
    public static final String ALL_NAMESPACES = "*";
    /** Default Lease name. */
    public static final String DEFAULT_LEASE_NAME = "skewless-operator";

    /** The current namespace, lease {@value #DEFAULT_LEASE_NAME}, Kubernetes' usual 15/10/2 s timings. */
    public static final OperatorSettings DEFAULT = new OperatorSettings(Set.of(), DEFAULT_LEASE_NAME, null, null,
            Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), EngineConfig.DEFAULT, Duration.ofSeconds(60));

    public OperatorSettings {
        namespaces = Set.copyOf(namespaces);
        Objects.requireNonNull(leaseName, "leaseName");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(statusRefresh, "statusRefresh");
        if (namespaces.contains(ALL_NAMESPACES) && namespaces.size() > 1) {
            throw new IllegalArgumentException("namespaces: '*' (every namespace) cannot be combined with names, got " + namespaces);
        }
        if (leaseName.isBlank()) {
            throw new IllegalArgumentException("leaseName must not be blank");
        }
        if (!(leaseDuration.compareTo(renewDeadline) > 0 && renewDeadline.compareTo(retryPeriod) > 0 && retryPeriod.isPositive())) {
            throw new IllegalArgumentException("need leaseDuration > renewDeadline > retryPeriod > 0, got " + leaseDuration + ", "
                    + renewDeadline + ", " + retryPeriod);
        }
    }

    /** {@link #DEFAULT} with what {@code env} sets ({@value #NAMESPACES_ENV}, {@value #LEASE_NAME_ENV}, {@value #LEASE_NAMESPACE_ENV}). */
    public static OperatorSettings fromEnvironment(Map<String, String> env) {
        OperatorSettings s = DEFAULT;
        String namespaces = env.getOrDefault(NAMESPACES_ENV, "");
        if (!namespaces.isBlank()) {
            s = s.withNamespaces(list(namespaces));
        }
        if (!env.getOrDefault(LEASE_NAME_ENV, "").isBlank()) {
            s = s.withLease(env.get(LEASE_NAME_ENV).strip(), s.leaseNamespace());
        }
        if (!env.getOrDefault(LEASE_NAMESPACE_ENV, "").isBlank()) {
            s = s.withLease(s.leaseName(), env.get(LEASE_NAMESPACE_ENV).strip());
        }
        return s;
    }

    /** Comma-separated names, blanks dropped, order kept. */
    static Set<String> list(String commaSeparated) {
        return new LinkedHashSet<>(Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList());
    }

    /** Whether every namespace is watched. */
    public boolean allNamespaces() {
        return namespaces.contains(ALL_NAMESPACES);
    }

    public OperatorSettings withNamespaces(Set<String> v) {
        return new OperatorSettings(v, leaseName, leaseNamespace, identity, leaseDuration, renewDeadline, retryPeriod, engine, statusRefresh);
    }

    public OperatorSettings withNamespaces(String... v) {
        return withNamespaces(new LinkedHashSet<>(List.of(v)));
    }

    public OperatorSettings withLease(String name, String namespace) {
        return new OperatorSettings(namespaces, name, namespace, identity, leaseDuration, renewDeadline, retryPeriod, engine, statusRefresh);
    }

    public OperatorSettings withIdentity(String v) {
        return new OperatorSettings(namespaces, leaseName, leaseNamespace, v, leaseDuration, renewDeadline, retryPeriod, engine, statusRefresh);
    }

    /** Lease timings (tests of failover use seconds, not Kubernetes' defaults). */
    public OperatorSettings withLeaseTimings(Duration duration, Duration renew, Duration retry) {
        return new OperatorSettings(namespaces, leaseName, leaseNamespace, identity, duration, renew, retry, engine, statusRefresh);
    }

    public OperatorSettings withEngine(EngineConfig v) {
        return new OperatorSettings(namespaces, leaseName, leaseNamespace, identity, leaseDuration, renewDeadline, retryPeriod, v, statusRefresh);
    }

    public OperatorSettings withStatusRefresh(Duration v) {
        return new OperatorSettings(namespaces, leaseName, leaseNamespace, identity, leaseDuration, renewDeadline, retryPeriod, engine, v);
    }
}
