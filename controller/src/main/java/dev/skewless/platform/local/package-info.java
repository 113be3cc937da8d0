/**
 * {@link dev.skewless.platform.ComputePlatform} for {@code ./skewless dev}: each version's tasks run
 * as local processes started from {@code App.spec.local}, health-checked, restarted with backoff
 * and stopped with their whole process tree. Its targets reach the local router through a plain
 * JDK callback the composer connects.
 */
package dev.skewless.platform.local;
