package dev.skewless.engine;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Conditions;
import dev.skewless.model.Phase;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.validation.FieldPaths;
import dev.skewless.plan.action.ActionException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A resource the App's spec names that AWS says is missing or unusable, found during a pass: the
 * listener gone, the cluster deleted, a subnet, security group or role that does not exist. Such
 * a failure will not go away by retrying, only when the spec changes or someone creates the
 * resource, so the engine reports it as {@code Synced=False} and {@code Terminal=True} with
 * reason {@value Condition#REASON_INVALID_REFERENCE} on the App and its versions, and retries at
 * the resync instead of backing off (decision 031).
 *
 * @param field   the field path in the App's spec, e.g. {@code spec.platform.subnets[1]}
 * @param code    the AWS error code, e.g. {@code ListenerNotFound}
 * @param message what is missing, for people (stable across passes: no request ids)
 */
record InvalidReference(String field, String code, String message) {

    /** Codes that say the listener or its load balancer is gone. */
    private static final Set<String> LISTENER_CODES = Set.of("ListenerNotFound", "LoadBalancerNotFound");
    /** Codes that say the ECS cluster is gone or not usable. */
    private static final Set<String> CLUSTER_CODES = Set.of("ClusterNotFoundException", "ClusterNotActiveException");

    /** The one sentence a person reads: field, what is wrong, and the code. */
    String text() {
        return field + ": " + message + " (" + code + ")";
    }

    /** The App's listener was not found when its rules were observed. */
    static InvalidReference listenerMissing(App app) {
        return new InvalidReference("spec.router.listenerArn", "ListenerNotFound",
                "listener " + app.spec().router().listenerArn() + " does not exist");
    }

    /**
     * The reference a failed action's error points at, if it points at one. Only errors that say
     * the request was wrong or the resource is absent (kinds INVALID and NOT_FOUND) qualify, and
     * only when the code or the message names something the spec names: a target group or rule
     * that went away is the controller's own resource, re-read and re-created by the next pass.
     */
    static Optional<InvalidReference> of(ActionException e, App app) {
        if (e.kind() != ActionException.Kind.INVALID && e.kind() != ActionException.Kind.NOT_FOUND) {
            return Optional.empty();
        }
        String code = e.code() == null ? "" : e.code();
        String text = e.getMessage() == null ? "" : e.getMessage();
        String lower = text.toLowerCase(Locale.ROOT);
        PlatformSpec platform = app.spec().platform();
        if (LISTENER_CODES.contains(code)) {
            return Optional.of(new InvalidReference("spec.router.listenerArn", code,
                    "listener " + app.spec().router().listenerArn() + " does not exist"));
        }
        if (CLUSTER_CODES.contains(code)) {
            return Optional.of(new InvalidReference("spec.platform.cluster", code,
                    "ECS cluster " + platform.cluster() + (code.contains("NotActive") ? " is not ACTIVE" : " does not exist")));
        }
        // ECS wraps EC2's answers in InvalidParameterException ("Error retrieving subnet information for
        // [subnet-1]: The subnet ID 'subnet-1' does not exist"); EC2 itself says InvalidSubnetID.NotFound.
        if (code.startsWith("InvalidSubnetID") || lower.contains("subnet")) {
            Optional<InvalidReference> subnet = named(platform.subnets(), "spec.platform.subnets", text, code, "subnet");
            if (subnet.isPresent()) {
                return subnet;
            }
        }
        if (code.startsWith("InvalidGroup") || lower.contains("security group")) {
            Optional<InvalidReference> group = named(platform.securityGroups(), "spec.platform.securityGroups", text, code,
                    "security group");
            if (group.isPresent()) {
                return group;
            }
        }
        // Roles: the message names the ARN (iam:PassRole denied, "unable to assume role ..."), or is
        // RegisterTaskDefinition's "Role is not valid", which names neither.
        if (platform.taskRoleArn() != null && text.contains(platform.taskRoleArn())) {
            return Optional.of(role("spec.platform.taskRoleArn", platform.taskRoleArn(), code));
        }
        if (platform.executionRoleArn() != null && text.contains(platform.executionRoleArn())) {
            return Optional.of(role("spec.platform.executionRoleArn", platform.executionRoleArn(), code));
        }
        if (lower.contains("role is not valid")) {
            return Optional.of(platform.taskRoleArn() == null
                    ? role("spec.platform.executionRoleArn", platform.executionRoleArn(), code)
                    // Both roles set and the message names neither: say both, under the field they share.
                    : new InvalidReference("spec.platform", code, "ECS refused a role: executionRoleArn "
                            + platform.executionRoleArn() + " or taskRoleArn " + platform.taskRoleArn()
                            + " does not exist or cannot be assumed by ecs-tasks.amazonaws.com"));
        }
        String vpc = app.spec().router().vpcId();
        if (vpc != null && text.contains(vpc)) {
            return Optional.of(new InvalidReference("spec.router.vpcId", code, "VPC " + vpc + " does not exist"));
        }
        return Optional.empty();
    }

    private static InvalidReference role(String field, String arn, String code) {
        return new InvalidReference(field, code, "IAM role " + arn + " does not exist or cannot be used by ECS tasks");
    }

    /**
     * The one of {@code ids} that {@code text} says is missing, as {@code parent[i]}: the quoted
     * one ("The subnet ID 'subnet-2' does not exist"), since the message also lists them all
     * ("for [subnet-1, subnet-2]"); else the first named.
     */
    private static Optional<InvalidReference> named(List<String> ids, String parent, String text, String code, String what) {
        for (int i = 0; i < ids.size(); i++) {
            if (text.contains("'" + ids.get(i) + "'")) {
                return Optional.of(new InvalidReference(FieldPaths.index(parent, i), code, what + " " + ids.get(i) + " does not exist"));
            }
        }
        for (int i = 0; i < ids.size(); i++) {
            if (text.contains(ids.get(i))) {
                return Optional.of(new InvalidReference(FieldPaths.index(parent, i), code, what + " " + ids.get(i) + " does not exist"));
            }
        }
        return Optional.empty();
    }

    /**
     * Both conditions set on {@code planned}. Their transition time is the stored one while the
     * record already says InvalidReference: the planner resets Synced and drops the version's
     * Terminal every pass, and a new time would make every pass write an otherwise equal status.
     */
    private static List<Condition> mark(List<Condition> planned, List<Condition> stored, String message, Instant now) {
        List<Condition> out = planned;
        for (var type : List.of(Condition.SYNCED, Condition.TERMINAL)) {
            ConditionStatus status = type.equals(Condition.SYNCED) ? ConditionStatus.False : ConditionStatus.True;
            Instant since = Conditions.find(stored, type)
                    .filter(c -> c.status() == status && Condition.REASON_INVALID_REFERENCE.equals(c.reason()) && c.lastTransitionTime() != null)
                    .map(Condition::lastTransitionTime).orElse(now);
            out = Conditions.remove(out, type);
            out = Conditions.set(out, type, status, Condition.REASON_INVALID_REFERENCE, message, since);
        }
        return out;
    }

    /** The sentence on a record's conditions: every field found wrong, once, in order. */
    private static String summary(List<InvalidReference> refs) {
        Map<String, String> byField = new LinkedHashMap<>();
        refs.forEach(r -> byField.putIfAbsent(r.field(), r.text()));
        return String.join("; ", byField.values())
                + "; fix the App's spec (or create the resource): the controller retries when the App changes and at every resync";
    }

    /**
     * The App's status with {@code Synced=False} and {@code Terminal=True}, reason
     * InvalidReference.
     *
     * @param s      the status planned for this pass (or the stored one when none was planned)
     * @param stored the stored status, whose transition times are kept while the reference stays invalid
     */
    static AppStatus onApp(AppStatus s, AppStatus stored, List<InvalidReference> refs, Instant now) {
        List<Condition> conditions = mark(s.conditions(), stored.conditions(), summary(refs), now);
        return new AppStatus(s.observedGeneration(), s.liveVersion(), s.canaryVersion(), s.canaryWeight(), conditions,
                s.lastReconcileTime(), s.message());
    }

    /** The App's status without the InvalidReference terminal condition (the reference is fine again), or {@code s}. */
    static AppStatus clearedOnApp(AppStatus s) {
        Optional<Condition> terminal = Conditions.find(s.conditions(), Condition.TERMINAL);
        if (terminal.isEmpty() || !Condition.REASON_INVALID_REFERENCE.equals(terminal.get().reason())) {
            return s;
        }
        return new AppStatus(s.observedGeneration(), s.liveVersion(), s.canaryVersion(), s.canaryWeight(),
                Conditions.remove(s.conditions(), Condition.TERMINAL), s.lastReconcileTime(), s.message());
    }

    /**
     * A version's status with the same conditions; a version that cannot progress (Pending,
     * Provisioning) also says so in its message, instead of "waiting".
     */
    static AppVersionStatus onVersion(AppVersionStatus s, AppVersionStatus stored, List<InvalidReference> refs, Instant now) {
        List<Condition> conditions = mark(s.conditions(), stored.conditions(), summary(refs), now);
        AppVersionStatus.Builder b = s.toBuilder().conditions(conditions);
        if (s.phase() == Phase.Pending || s.phase() == Phase.Provisioning) {
            b.message("Invalid reference: " + refs.getFirst().text());
        }
        return b.build();
    }
}
