package dev.skewless.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Conditions;
import dev.skewless.model.Phase;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.testing.SampleRecords;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which action failures point at a reference of the App's spec, and which field. Messages are AWS's own. */
class InvalidReferenceTest {
    private static final String EXEC = "arn:aws:iam::123456789012:role/shop-exec";
    private static final String TASK = "arn:aws:iam::123456789012:role/shop-task";
    private final App app = app(TASK);

    @Test
    void listenerAndLoadBalancerNotFoundPointAtTheListener() {
        assertThat(field(Kind.NOT_FOUND, "ListenerNotFound", "create rule at 1000: ListenerNotFound: One or more listeners not found"))
                .contains("spec.router.listenerArn");
        assertThat(field(Kind.NOT_FOUND, "LoadBalancerNotFound", "find the VPC of lb: LoadBalancerNotFound: not found"))
                .contains("spec.router.listenerArn");
    }

    @Test
    void clusterNotFoundPointsAtTheCluster() {
        assertThat(field(Kind.INVALID, "ClusterNotFoundException", "create service: ClusterNotFoundException: Cluster not found."))
                .contains("spec.platform.cluster");
    }

    @Test
    void ecsWrappedSubnetAndSecurityGroupErrorsPointAtTheIndexNamed() {
        String subnet = "create service shop-v1: InvalidParameterException: Error retrieving subnet information for [subnet-aaa, subnet-bbb]: "
                + "The subnet ID 'subnet-bbb' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)";
        assertThat(field(Kind.INVALID, "InvalidParameterException", subnet)).contains("spec.platform.subnets[1]");
        String group = "create service shop-v1: InvalidParameterException: Error retrieving security group information for [sg-222]: "
                + "The security group 'sg-222' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound)";
        assertThat(field(Kind.INVALID, "InvalidParameterException", group)).contains("spec.platform.securityGroups[1]");
        assertThat(field(Kind.NOT_FOUND, "InvalidGroup.NotFound", "The security group 'sg-111' does not exist"))
                .contains("spec.platform.securityGroups[0]");
    }

    @Test
    void rolesArePointedAtByTheArnTheMessageNamesOrBothWhenItNamesNone() {
        assertThat(field(Kind.INVALID, "AccessDeniedException", "register task definition: AccessDeniedException: User is not "
                + "authorized to perform: iam:PassRole on resource: " + TASK)).contains("spec.platform.taskRoleArn");
        assertThat(field(Kind.INVALID, "ClientException", "ECS was unable to assume the role '" + EXEC + "'"))
                .contains("spec.platform.executionRoleArn");
        assertThat(field(Kind.INVALID, "ClientException", "register task definition: ClientException: Role is not valid"))
                .contains("spec.platform");
        assertThat(InvalidReference.of(new ActionException(Kind.INVALID, "ClientException", "Role is not valid"), app(null)))
                .map(InvalidReference::field).contains("spec.platform.executionRoleArn");
    }

    @Test
    void retryableFailuresAndTheControllersOwnResourcesAreNotReferences() {
        assertThat(field(Kind.THROTTLED, "ThrottlingException", "Rate exceeded for subnet-aaa")).isEmpty();
        assertThat(field(Kind.TRANSIENT, "ClientError", "connection reset")).isEmpty();
        assertThat(field(Kind.NOT_FOUND, "TargetGroupNotFound", "One or more target groups not found")).isEmpty();
        assertThat(field(Kind.NOT_FOUND, "RuleNotFound", "One or more rules not found")).isEmpty();
        assertThat(field(Kind.INVALID, "ClientException", "Invalid 'cpu' setting for task")).isEmpty();
        assertThat(field(Kind.CONFLICT, "InvalidParameterException", "Creation of service was not idempotent.")).isEmpty();
    }

    @Test
    void theConditionsNameFieldAndCodeAndAPendingVersionSaysSo() {
        Instant now = Instant.parse("2026-03-02T09:00:00Z");
        List<InvalidReference> refs = List.of(InvalidReference.listenerMissing(app));
        AppVersionStatus pending = InvalidReference.onVersion(AppVersionStatus.PENDING, AppVersionStatus.PENDING, refs, now);
        Condition terminal = Conditions.find(pending.conditions(), Condition.TERMINAL).orElseThrow();
        assertThat(terminal.status()).isEqualTo(ConditionStatus.True);
        assertThat(terminal.reason()).isEqualTo(Condition.REASON_INVALID_REFERENCE);
        assertThat(terminal.message()).startsWith("spec.router.listenerArn: listener " + app.spec().router().listenerArn()
                + " does not exist (ListenerNotFound)");
        assertThat(pending.message()).startsWith("Invalid reference: spec.router.listenerArn");
        AppVersionStatus live = AppVersionStatus.PENDING.toBuilder().phase(Phase.Live).message("Live: serves unpinned traffic").build();
        assertThat(InvalidReference.onVersion(live, live, refs, now).message()).as("a live version's message stays").isEqualTo(live.message());

        var marked = InvalidReference.onApp(app.status(), app.status(), refs, now);
        assertThat(Conditions.find(marked.conditions(), Condition.TERMINAL)).isPresent();
        assertThat(Conditions.find(InvalidReference.clearedOnApp(marked).conditions(), Condition.TERMINAL)).isEmpty();
        assertThat(InvalidReference.clearedOnApp(app.status())).isSameAs(app.status());

        // The next pass plans the version without Terminal and Synced=True again; the stored times stay.
        AppVersionStatus replanned = InvalidReference.onVersion(AppVersionStatus.PENDING, pending, refs, now.plusSeconds(300));
        assertThat(replanned).isEqualTo(pending);
    }

    private Optional<String> field(Kind kind, String code, String message) {
        return InvalidReference.of(new ActionException(kind, code, message), app).map(InvalidReference::field);
    }

    private static App app(String taskRole) {
        App base = SampleRecords.app("shop", 1000, 1099);
        PlatformSpec p = base.spec().platform();
        RouterSpec r = base.spec().router();
        PlatformSpec platform = new PlatformSpec(p.cluster(), List.of("subnet-aaa", "subnet-bbb"), List.of("sg-111", "sg-222"),
                EXEC, taskRole, p.logGroup(), p.assignPublicIp(), p.retainedDesiredCount());
        AppSpec s = base.spec();
        return new App(base.metadata(), new AppSpec(platform, r, s.routing(), s.retention(), s.release(), s.local()), base.status());
    }
}
