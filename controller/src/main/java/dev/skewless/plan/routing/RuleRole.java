package dev.skewless.plan.routing;

import java.util.Objects;
import java.util.Optional;

/**
 * What a rendered rule is for. Its {@link #tagValue()} is stored as a tag on the ALB rule, so the
 * planner can recognise its own rules on the next pass and diff by role rather than by priority.
 *
 * @param kind    navigation, pin, expired catch-all or unpinned
 * @param carrier for pin and expired rules, the carrier; else null
 * @param version for pin rules, the version; else null
 */
public record RuleRole(Kind kind, Carrier carrier, String version) {
    /** The four kinds of rules, in the order they are evaluated. */
    public enum Kind {
        NAVIGATE,
        PIN,
        EXPIRED,
        UNPINNED
    }

    public RuleRole {
        Objects.requireNonNull(kind, "kind");
    }

    public static RuleRole navigate() {
        return new RuleRole(Kind.NAVIGATE, null, null);
    }

    public static RuleRole pin(Carrier carrier, String version) {
        return new RuleRole(Kind.PIN, carrier, version);
    }

    public static RuleRole expired(Carrier carrier) {
        return new RuleRole(Kind.EXPIRED, carrier, null);
    }

    public static RuleRole unpinned() {
        return new RuleRole(Kind.UNPINNED, null, null);
    }

    /** e.g. {@code navigate}, {@code pin.header.v1.2}, {@code expired.query}, {@code unpinned}. */
    public String tagValue() {
        return switch (kind) {
            case NAVIGATE -> "navigate";
            case UNPINNED -> "unpinned";
            case EXPIRED -> "expired." + carrier.tagName();
            case PIN -> "pin." + carrier.tagName() + "." + version;
        };
    }

    /** Parses a {@link #tagValue()}; empty for anything else (a rule we do not understand is not ours). */
    public static Optional<RuleRole> parse(String tag) {
        if (tag == null) {
            return Optional.empty();
        }
        if (tag.equals("navigate")) {
            return Optional.of(navigate());
        }
        if (tag.equals("unpinned")) {
            return Optional.of(unpinned());
        }
        String[] parts = tag.split("\\.", 3);
        try {
            if (parts.length == 2 && parts[0].equals("expired")) {
                return Optional.of(expired(Carrier.valueOf(parts[1].toUpperCase(java.util.Locale.ROOT))));
            }
            if (parts.length == 3 && parts[0].equals("pin") && !parts[2].isEmpty()) {
                return Optional.of(pin(Carrier.valueOf(parts[1].toUpperCase(java.util.Locale.ROOT)), parts[2]));
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return tagValue();
    }
}
