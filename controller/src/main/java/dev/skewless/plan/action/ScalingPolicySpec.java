package dev.skewless.plan.action;

import dev.skewless.model.AutoscalingSpec;

/**
 * A target tracking policy on a version's scalable target. Policies carry no tags, so skewless
 * owns a policy by its deterministic name on a scalable target of a service it owns.
 *
 * @param resourceId            {@code service/<cluster>/<service>}
 * @param name                  deterministic policy name
 * @param metric                the tracked metric
 * @param targetValue           the value to hold
 * @param resourceLabel         for {@link AutoscalingSpec.Metric#REQUESTS}:
 *                              {@code app/<lb-name>/<id>/targetgroup/<tg-name>/<id>}; else null
 * @param scaleInCooldownSeconds  seconds after a scale-in
 * @param scaleOutCooldownSeconds seconds after a scale-out
 */
public record ScalingPolicySpec(String resourceId, String name, AutoscalingSpec.Metric metric, int targetValue,
        String resourceLabel, int scaleInCooldownSeconds, int scaleOutCooldownSeconds) {
}
