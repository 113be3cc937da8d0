package dev.skewless.cli;

import dev.skewless.model.AppVersion;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.store.VersionStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * On an emulator, does what ECS does for a service behind a target group: registers one address
 * per task. Only target groups skewless owns (by their tags) and that have no targets yet are
 * touched; the addresses are made up (10.77.x.y), which moto reports healthy at once.
 */
final class SandboxTargets {
    private final ElasticLoadBalancingV2Client elb;
    private final VersionStore store;

    SandboxTargets(ElasticLoadBalancingV2Client elb, VersionStore store) {
        this.elb = elb;
        this.store = store;
    }

    /** One pass; returns a line per target group it registered targets in. */
    List<String> registerMissing() {
        List<TargetGroup> groups = new ArrayList<>();
        elb.describeTargetGroupsPaginator(b -> b.pageSize(400)).targetGroups().forEach(groups::add);
        Map<String, Map<String, String>> tags = new HashMap<>();
        for (int i = 0; i < groups.size(); i += 20) {
            List<String> arns = groups.subList(i, Math.min(groups.size(), i + 20)).stream().map(TargetGroup::targetGroupArn).toList();
            for (TagDescription d : elb.describeTags(b -> b.resourceArns(arns)).tagDescriptions()) {
                Map<String, String> t = new HashMap<>();
                d.tags().forEach(x -> t.put(x.key(), x.value()));
                tags.put(d.resourceArn(), t);
            }
        }
        List<String> done = new ArrayList<>();
        for (TargetGroup g : groups) {
            Map<String, String> t = tags.getOrDefault(g.targetGroupArn(), Map.of());
            if (!OwnershipTags.DEFAULT_OWNER.equals(t.get(OwnershipTags.MANAGED_BY)) || !t.containsKey(OwnershipTags.APP)
                    || !t.containsKey(OwnershipTags.VERSION)) {
                continue;
            }
            if (!elb.describeTargetHealth(b -> b.targetGroupArn(g.targetGroupArn())).targetHealthDescriptions().isEmpty()) {
                continue;
            }
            VersionKey key = new VersionKey(t.get(OwnershipTags.APP), t.get(OwnershipTags.VERSION));
            Optional<AppVersion> v = store.getVersion(key);
            int count = Math.max(1, v.map(x -> x.spec().desiredCount()).orElse(1));
            int port = g.port() == null ? 80 : g.port();
            // A stable made-up subnet per group, so a listing reads as "these belong together".
            int third = Math.floorMod(g.targetGroupArn().hashCode(), 200) + 20;
            List<TargetDescription> targets = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                targets.add(TargetDescription.builder().id("10.77." + third + "." + (10 + i)).port(port).build());
            }
            elb.registerTargets(b -> b.targetGroupArn(g.targetGroupArn()).targets(targets));
            done.add("registered " + count + " made-up task address" + (count == 1 ? "" : "es") + " in " + g.targetGroupName() + " (" + key + ")");
        }
        return done;
    }
}
