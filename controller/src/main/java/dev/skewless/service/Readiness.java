package dev.skewless.service;

/**
 * Whether this replica is ready: the store answers and this replica leads.
 *
 * @param ready          both hold (and the runtime is not stopping)
 * @param state          {@code leading}, {@code standby}, {@code storeUnreachable}, {@code starting} or
 *                       {@code stopping}
 * @param leader         this replica holds the lease
 * @param storeReachable the store answered a read just now
 * @param fencingToken   the lease's token while held, else 0
 * @param detail         a sentence for people
 */
public record Readiness(boolean ready, String state, boolean leader, boolean storeReachable, long fencingToken, String detail) {}
