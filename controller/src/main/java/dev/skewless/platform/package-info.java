/**
 * The {@link dev.skewless.platform.ComputePlatform} port (where versions run) and its
 * implementations (ECS Fargate in production, local processes for {@code ./skewless dev}).
 */
package dev.skewless.platform;
