/**
 * The {@link dev.skewless.store.VersionStore} port (where App and AppVersion records live) and its
 * implementations (DynamoDB in production, embedded for {@code ./skewless dev}).
 */
package dev.skewless.store;
