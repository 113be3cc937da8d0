/**
 * The store of {@code ./skewless dev}: {@link dev.skewless.store.embedded.EmbeddedVersionStore}, one
 * JSON manifest file per record in a directory, written atomically and shared safely between
 * processes, and {@link dev.skewless.store.embedded.EmbeddedLeaderLease}, an OS file lock that keeps
 * a second controller off the same directory. Decision {@code docs/decisions/018}.
 */
package dev.skewless.store.embedded;
