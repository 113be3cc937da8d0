package dev.skewless.store;

import java.util.Objects;

/**
 * Proof of leadership carried by a status write: the store performs the write only if, at that
 * moment, the named lease is still held by {@code holder} with exactly this {@code token} and has
 * not expired. A replica that lost the lease therefore cannot write, whatever its local clock or
 * scheduling says.
 *
 * @param lease  the lease's name
 * @param holder the writer's holder id
 * @param token  the fencing token the writer got when it acquired the lease
 */
public record Fence(String lease, String holder, long token) {
    public Fence {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(holder, "holder");
        if (token <= 0) {
            throw new IllegalArgumentException("fencing tokens start at 1, got " + token);
        }
    }
}
