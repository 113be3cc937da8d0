package dev.skewless.plan;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.action.ServiceSpec;
import dev.skewless.plan.action.TargetGroupSpec;
import dev.skewless.plan.action.TaskDefinitionSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pure builders of the AWS resources a version should have (in the spirit of Strimzi's model
 * classes): same records in, same specs out, so comparing with what is observed is an equality.
 */
public final class DesiredResources {
    private DesiredResources() {}

    /** The version's target group. */
    public static TargetGroupSpec targetGroup(String owner, App app, AppVersion v) {
        return new TargetGroupSpec(
                ResourceNames.targetGroup(v.key()),
                v.spec().containerPort(),
                app.spec().router().vpcId(),
                app.spec().router().listenerArn(),
                v.spec().healthCheck(),
                app.spec().router().deregistrationDelay(),
                OwnershipTags.forVersion(owner, v.key()));
    }

    /** The version's task definition, tagged with the hash of its content. */
    public static TaskDefinitionSpec taskDefinition(String owner, App app, AppVersion v) {
        VersionKey key = v.key();
        var p = app.spec().platform();
        var s = v.spec();
        String hash = specHash(app, v);
        Map<String, String> tags = new LinkedHashMap<>(OwnershipTags.forVersion(owner, key));
        tags.put(OwnershipTags.SPEC_HASH, hash);
        return new TaskDefinitionSpec(ResourceNames.taskFamily(key), ResourceNames.container(key), s.image(), s.cpu(),
                s.memory(), s.containerPort(), s.env(), s.secrets(), p.executionRoleArn(), p.taskRoleArn(), p.logGroup(),
                s.healthCheck(), hash, tags);
    }

    /** The version's service running {@code taskDefinitionArn} behind {@code targetGroupArn}. */
    public static ServiceSpec service(String owner, App app, AppVersion v, String taskDefinitionArn, String targetGroupArn,
            int desiredCount) {
        var p = app.spec().platform();
        return new ServiceSpec(p.cluster(), ResourceNames.service(v.key()), taskDefinitionArn, desiredCount, p.subnets(),
                p.securityGroups(), p.assignPublicIp(), targetGroupArn, ResourceNames.container(v.key()),
                v.spec().containerPort(), OwnershipTags.forVersion(owner, v.key()));
    }

    /**
     * Hash of everything that goes into the task definition. Maps are sorted first: a map's
     * iteration order must not change the hash, or every pass would see a "changed" spec.
     */
    public static String specHash(App app, AppVersion v) {
        var p = app.spec().platform();
        var s = v.spec();
        HealthCheckSpec hc = s.healthCheck();
        String canonical = String.join("\u0000",
                s.image(), String.valueOf(s.cpu()), String.valueOf(s.memory()), String.valueOf(s.containerPort()),
                new TreeMap<>(s.env()).toString(), new TreeMap<>(s.secrets()).toString(),
                String.valueOf(p.executionRoleArn()), String.valueOf(p.taskRoleArn()), String.valueOf(p.logGroup()),
                hc.path(), hc.interval().toString(), hc.timeout().toString(),
                ResourceNames.container(v.key()));
        return ResourceNames.shortHash(canonical, 16);
    }
}
