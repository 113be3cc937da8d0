/** {@link dev.skewless.platform.ComputePlatform} on Amazon ECS Fargate, AWS SDK v2. */
package dev.skewless.platform.ecs;
