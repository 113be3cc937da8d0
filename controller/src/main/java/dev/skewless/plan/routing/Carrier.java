package dev.skewless.plan.routing;

/** Where a client's pin travels, in the order the evaluator checks them. */
public enum Carrier {
    HEADER,
    QUERY,
    COOKIE;

    /** Lower-case name used in rule role tags. */
    public String tagName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
