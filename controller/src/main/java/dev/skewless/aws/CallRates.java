package dev.skewless.aws;

/**
 * How fast skewless may call each AWS API operation. Every operation gets its own bucket: reads
 * ({@code Describe*}, {@code List*}, {@code Get*}) share one setting, mutations another, because
 * AWS throttles them separately and mutations are the scarcer budget (ELBv2 and ECS allow a
 * fraction of the describe rate for writes).
 *
 * @param describePerSecond refill rate of a read operation's bucket
 * @param describeBurst     its capacity
 * @param mutatePerSecond   refill rate of a mutating operation's bucket
 * @param mutateBurst       its capacity
 */
public record CallRates(double describePerSecond, int describeBurst, double mutatePerSecond, int mutateBurst) {
    /** Well below the documented per-account ECS and ELBv2 limits, leaving room for other tools. */
    public static final CallRates DEFAULT = new CallRates(10, 20, 4, 8);

    /** Effectively unlimited; for tests that count calls rather than pace them. */
    public static final CallRates UNLIMITED = new CallRates(1_000_000, 1_000_000, 1_000_000, 1_000_000);

    public CallRates {
        if (describePerSecond <= 0 || mutatePerSecond <= 0 || describeBurst < 1 || mutateBurst < 1) {
            throw new IllegalArgumentException("call rates must be positive: " + describePerSecond + "/" + describeBurst + ", "
                    + mutatePerSecond + "/" + mutateBurst);
        }
    }

    /** Whether an operation only reads (its name starts with Describe, List or Get). */
    public static boolean isRead(String operation) {
        return operation.startsWith("Describe") || operation.startsWith("List") || operation.startsWith("Get");
    }
}
