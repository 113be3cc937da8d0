package dev.skewless.plan;

import java.time.Duration;

/**
 * Settings of the planner that are not part of any record.
 *
 * @param owner                 value of {@code skewless.dev/managed-by} on everything we create
 * @param quotas                ALB quotas in force for the account
 * @param provisioningTimeout   a version not healthy after this long is Failed
 * @param pollWhileProgressing  how soon to look again while something is in flight
 * @param teardownSettle        how long an App being deleted must be observed with nothing left
 *                              before its teardown is complete: ECS listings are eventually
 *                              consistent, and a resource created just before the deletion must
 *                              not be missed once the App's record (its only memory) is gone
 *                              (decision 039)
 */
public record PlannerConfig(String owner, AlbQuotas quotas, Duration provisioningTimeout, Duration pollWhileProgressing,
        Duration teardownSettle) {
    /** Default of {@link #teardownSettle}: well beyond the seconds ECS listings lag. */
    public static final Duration DEFAULT_TEARDOWN_SETTLE = Duration.ofSeconds(30);

    /** Defaults: owner {@code skewless}, AWS default quotas, 15 minute provisioning timeout, 5s polls, 30 s settle. */
    public static final PlannerConfig DEFAULT =
            new PlannerConfig(OwnershipTags.DEFAULT_OWNER, AlbQuotas.DEFAULT, Duration.ofMinutes(15), Duration.ofSeconds(5));

    /** Settings with the default {@link #teardownSettle}. */
    public PlannerConfig(String owner, AlbQuotas quotas, Duration provisioningTimeout, Duration pollWhileProgressing) {
        this(owner, quotas, provisioningTimeout, pollWhileProgressing, DEFAULT_TEARDOWN_SETTLE);
    }

    /**
     * ALB quotas the planner keeps within.
     *
     * @param rulesPerLoadBalancer        non-default rules per load balancer (100, adjustable)
     * @param targetGroupsPerLoadBalancer target groups per load balancer (100, hard)
     * @param conditionValuesPerRule      condition values per rule (5)
     * @param targetGroupsPerForward      target groups per forward action (5)
     */
    public record AlbQuotas(int rulesPerLoadBalancer, int targetGroupsPerLoadBalancer, int conditionValuesPerRule,
            int targetGroupsPerForward) {
        /** The AWS defaults. */
        public static final AlbQuotas DEFAULT = new AlbQuotas(100, 100, 5, 5);
    }
}
