package dev.skewless.plan.routing;

import java.util.List;

/**
 * One ALB listener rule condition. Conditions of a rule are ANDed; the values inside one condition
 * are ORed. ALB compares host, header and query values case-insensitively, paths case-sensitively;
 * {@code *} and {@code ?} are wildcards in all of them.
 */
public sealed interface RuleCondition {
    /** Number of condition values this condition uses against ALB's per-rule quota. */
    int valueCount();

    /** {@code path-pattern}. */
    record PathPattern(List<String> values) implements RuleCondition {
        public PathPattern {
            values = List.copyOf(values);
        }

        public int valueCount() {
            return values.size();
        }
    }

    /** {@code host-header}. */
    record HostHeader(List<String> values) implements RuleCondition {
        public HostHeader {
            values = List.copyOf(values);
        }

        public int valueCount() {
            return values.size();
        }
    }

    /** {@code http-header}: the named header matches one of the values. */
    record HttpHeader(String name, List<String> values) implements RuleCondition {
        public HttpHeader {
            values = List.copyOf(values);
        }

        public int valueCount() {
            return values.size();
        }
    }

    /** {@code query-string}: one of the key/value pairs matches; a null key matches any key. */
    record QueryString(List<KeyValue> values) implements RuleCondition {
        public QueryString {
            values = List.copyOf(values);
        }

        public int valueCount() {
            return values.size();
        }
    }

    /** A query-string pair; {@code key} may be null (any key), {@code value} may use wildcards. */
    record KeyValue(String key, String value) {}
}
