/**
 * The {@link dev.skewless.router.TrafficRouter} port (target groups and listener rules) and its
 * implementations (ALB in production, an in-process reverse proxy for {@code ./skewless dev}).
 */
package dev.skewless.router;
