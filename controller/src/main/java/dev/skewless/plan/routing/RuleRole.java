package dev.skewless.plan.routing;

import java.util.Objects;
import java.util.Optional;

/**
 * What a rendered rule is for. Its {@link #tagValue()} is stored as a tag on the ALB rule, so the
 * planner can recognise its own rules on the next pass and diff by role rather than by priority.
 *
 * @param kind    navigation, pin, expired catch-all, unpinned, or standby
 * @param carrier for pin and expired rules, the carrier; else null
 * @param version for pin and standby rules, the version; else null
 */
public record RuleRole(Kind kind, Carrier carrier, String version) {
    /** The kinds of rules, in the order they are evaluated. */
    public enum Kind {
        NAVIGATE,
        PIN,
        EXPIRED,
        UNPINNED,
        /**
         * Not routing: a rule no client request matches that forwards to a provisioning version's
         * target group. ECS refuses to create a service whose target group no listener uses, and a
         * pin rule would send traffic before the version is healthy. Planned by the planner, not
         * rendered from the routing table; deleted once the version's pin rules exist.
         */
        STANDBY
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

    public static RuleRole standby(String version) {
        return new RuleRole(Kind.STANDBY, null, version);
    }

    /** e.g. {@code navigate}, {@code pin.header.v1.2}, {@code expired.query}, {@code unpinned}. */
    public String tagValue() {
        return switch (kind) {
            case NAVIGATE -> "navigate";
            case UNPINNED -> "unpinned";
            case EXPIRED -> "expired." + carrier.tagName();
            case PIN -> "pin." + carrier.tagName() + "." + version;
            case STANDBY -> "standby." + version;
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
        if (tag.startsWith("standby.") && tag.length() > "standby.".length()) {
            return Optional.of(standby(tag.substring("standby.".length())));
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
