package dev.skewless.model;

import java.util.Objects;

/**
 * The desired state of an {@link App}.
 *
 * @param platform  where versions run (ECS cluster and networking)
 * @param router    the ALB listener, the priority range this app owns and its scoping
 * @param routing   how clients pin themselves to a version and what expired pins get
 * @param retention how long superseded versions stay routable
 * @param release   which version is live, and an optional canary
 * @param local     how {@code ./skewless dev} starts a version as a local process; may be null
 */
public record AppSpec(
        PlatformSpec platform,
        RouterSpec router,
        RoutingSpec routing,
        RetentionSpec retention,
        ReleaseSpec release,
        LocalSpec local) {
    public AppSpec {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(router, "router");
        routing = routing == null ? RoutingSpec.DEFAULT : routing;
        retention = retention == null ? RetentionSpec.DEFAULT : retention;
        release = release == null ? ReleaseSpec.LATEST : release;
    }
}
