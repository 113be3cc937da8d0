package dev.skewless.plan.routing;

import java.util.List;

/**
 * Where a request goes. Also the action of a rendered ALB rule, so the evaluator and the ALB model
 * can be compared with {@code equals}.
 */
public sealed interface RouteDecision {

    /**
     * Forward to one version, or split between several by weight (a canary).
     *
     * @param targets the versions and their weights; one entry with weight 100 for a plain forward
     */
    record Forward(List<WeightedVersion> targets) implements RouteDecision {
        public Forward {
            targets = List.copyOf(targets);
        }

        /** A plain forward to one version. */
        public static Forward to(String version) {
            return new Forward(List.of(new WeightedVersion(version, 100)));
        }
    }

    /**
     * A fixed response, e.g. 410 with a JSON body naming the live version for an expired pin, or
     * 503 while no version is live.
     */
    record Respond(int status, String contentType, String body) implements RouteDecision {}

    /** The request is outside this App's scope (path patterns, host headers): not ours to decide. */
    record NotMatched() implements RouteDecision {}

    /** A version and its share of a weighted forward. */
    record WeightedVersion(String version, int weight) {}
}
