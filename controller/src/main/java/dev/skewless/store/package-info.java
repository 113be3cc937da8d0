/**
 * The {@link dev.skewless.store.VersionStore} port (where App and AppVersion records live), the
 * {@link dev.skewless.store.LeaderLease} port (one active controller) and
 * {@link dev.skewless.store.FencedVersionStore}, which makes the leader's status writes
 * conditional on its lease; implementations: DynamoDB in production
 * ({@code dev.skewless.store.dynamodb}), embedded for {@code ./skewless dev}.
 */
package dev.skewless.store;
