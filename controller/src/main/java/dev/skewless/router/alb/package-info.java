/**
 * {@link dev.skewless.router.TrafficRouter} on an Application Load Balancer (ELBv2), AWS SDK v2,
 * with request counts from CloudWatch.
 */
package dev.skewless.router.alb;
