package dev.skewless.plan.observed;

import java.util.Map;

/**
 * An ACTIVE task definition revision carrying skewless ownership tags.
 *
 * @param arn    revision ARN
 * @param family family
 * @param tags   tags, including {@code skewless.dev/spec-hash}
 */
public record ObservedTaskDefinition(String arn, String family, Map<String, String> tags) {
    public ObservedTaskDefinition {
        tags = Map.copyOf(tags);
    }
}
