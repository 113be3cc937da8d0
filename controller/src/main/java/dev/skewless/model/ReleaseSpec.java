package dev.skewless.model;

/**
 * Which version serves unpinned traffic.
 *
 * @param live   a version id, or {@link #LATEST_KEYWORD} for the newest version that is Ready
 * @param canary optional share of unpinned traffic for another version; null for none
 */
public record ReleaseSpec(String live, Canary canary) {
    /** {@code live: latest} follows the newest Ready version. */
    public static final String LATEST_KEYWORD = "latest";
    /** {@code live: latest} and no canary. */
    public static final ReleaseSpec LATEST = new ReleaseSpec(LATEST_KEYWORD, null);

    public ReleaseSpec {
        live = live == null || live.isBlank() ? LATEST_KEYWORD : live;
    }

    /** Whether live follows the newest Ready version. */
    public boolean followsLatest() {
        return LATEST_KEYWORD.equals(live);
    }

    /**
     * A canary: {@code weight} percent of unpinned (non-navigation) traffic goes to {@code version}.
     *
     * @param version the canary version id
     * @param weight  0..100
     */
    public record Canary(String version, int weight) {}
}
