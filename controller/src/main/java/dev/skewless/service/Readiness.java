package dev.skewless.service;

/**
 * Whether this replica is ready: the store answers and this replica leads. Computed from state
 * the lease heartbeat keeps, never by calling the store (see {@code ControllerRuntime#readiness()}).
 *
 * @param ready          both hold (and the runtime is not stopping)
 * @param state          {@code leading}, {@code standby}, {@code storeUnreachable}, {@code starting} or
 *                       {@code stopping}
 * @param leader         this replica holds the lease and the store is not stalled
 * @param storeReachable the last lease heartbeat was answered and the running one has not waited
 *                       longer than one heartbeat
 * @param fencingToken   the lease's token while held, else 0
 * @param detail         a sentence for people
 */
public record Readiness(boolean ready, String state, boolean leader, boolean storeReachable, long fencingToken, String detail) {}
