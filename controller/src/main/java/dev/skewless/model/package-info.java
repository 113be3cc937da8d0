/**
 * The records release managers write ({@link dev.skewless.model.App} and
 * {@link dev.skewless.model.AppVersion}, apiVersion {@code skewless.dev/v1alpha1}), the status the
 * controller writes back, and their validation. Everything here is an immutable value; nothing
 * here does I/O or depends on any other skewless package.
 */
package dev.skewless.model;
