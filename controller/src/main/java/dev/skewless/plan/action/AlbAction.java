package dev.skewless.plan.action;

import java.util.List;

/** An ALB rule or default action, with target groups by ARN (the provider-level shape). */
public sealed interface AlbAction {
    /** Forward to one or more target groups (weights only matter with several). */
    record Forward(List<TargetGroupWeight> targetGroups) implements AlbAction {
        public Forward {
            targetGroups = List.copyOf(targetGroups);
        }

        public static Forward to(String targetGroupArn) {
            return new Forward(List.of(new TargetGroupWeight(targetGroupArn, 100)));
        }
    }

    /** A fixed response. */
    record FixedResponse(int statusCode, String contentType, String body) implements AlbAction {}

    /** A target group and its weight in a forward action. */
    record TargetGroupWeight(String targetGroupArn, int weight) {}
}
