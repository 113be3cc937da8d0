package dev.skewless.plan;

/**
 * Why a planned action is a repair of drift: the world differed from what the controller last
 * set (as the records' statuses say), not a step of provisioning, release or retirement. The
 * engine logs such actions with {@code drift=true kind=...} and counts them by kind in
 * {@code skewless_drift_repairs_total}. See {@code docs/decisions/014-status-api-metrics-and-logs.md}
 * and {@link DriftRepairs} for the precise rule.
 *
 * @param kind   what drifted, one of the constants below
 * @param detail what the controller had set and found, for the log line
 */
public record DriftRepair(String kind, String detail) {
    /** A version's target group was gone and is created again. */
    public static final String TARGET_GROUP = "target-group";
    /** A target group's health check or deregistration delay was changed and is set back. */
    public static final String TARGET_GROUP_SETTINGS = "target-group-settings";
    /** A version's task definition was deregistered and is registered again. */
    public static final String TASK_DEFINITION = "task-definition";
    /** A version's service was gone and is created again. */
    public static final String SERVICE = "service";
    /** A service was pointed at another target group and is attached to its own again. */
    public static final String SERVICE_TARGET_GROUP = "service-target-group";
    /** A service was switched to another task definition and is switched back. */
    public static final String SERVICE_TASK_DEFINITION = "service-task-definition";
    /** A service's desired count was changed and is scaled back. */
    public static final String SCALE = "scale";
    /** An owned listener rule was gone and is created again. */
    public static final String RULE = "rule";
    /** An owned listener rule's conditions or action were changed and are set back. */
    public static final String RULE_SPEC = "rule-spec";
    /** Owned listener rules were moved and are moved back. */
    public static final String RULE_PRIORITY = "rule-priority";
    /** The listener's default action (of an App that owns the listener) was changed and is set back. */
    public static final String LISTENER_DEFAULT = "listener-default";
    /** An autoscaled live or canary version's scalable target was deregistered or re-bounded and is registered again. */
    public static final String SCALABLE_TARGET = "scalable-target";
    /** An autoscaled live or canary version's scaling policy was deleted or changed and is put back. */
    public static final String SCALING_POLICY = "scaling-policy";
}
