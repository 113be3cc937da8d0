package dev.skewless.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The ALB side of an App.
 *
 * @param listenerArn          the listener whose rules this App owns (inside {@code priorities})
 * @param priorities           the rule priorities this App owns on the listener
 * @param pathPatterns         path patterns scoping every rule (e.g. {@code /api/*}); may be empty
 *                             when host headers scope the app
 * @param hostHeaders          optional host headers scoping every rule
 * @param deregistrationDelay  target group deregistration delay, and how long a drained version
 *                             waits after its rules are removed before it is scaled to zero
 * @param ownsListener         when true the App owns the whole listener and unpinned traffic uses
 *                             the listener's default action instead of a scoped rule
 * @param vpcId                VPC of the target groups; null lets the provider derive it from the
 *                             listener's load balancer
 */
public record RouterSpec(
        String listenerArn,
        PriorityRange priorities,
        List<String> pathPatterns,
        List<String> hostHeaders,
        Duration deregistrationDelay,
        boolean ownsListener,
        String vpcId) {
    /** ALB's default deregistration delay. */
    public static final Duration DEFAULT_DEREGISTRATION_DELAY = Duration.ofSeconds(300);

    public RouterSpec {
        Objects.requireNonNull(listenerArn, "listenerArn");
        Objects.requireNonNull(priorities, "priorities");
        pathPatterns = pathPatterns == null ? List.of() : List.copyOf(pathPatterns);
        hostHeaders = hostHeaders == null ? List.of() : List.copyOf(hostHeaders);
        deregistrationDelay = deregistrationDelay == null ? DEFAULT_DEREGISTRATION_DELAY : deregistrationDelay;
    }
}
