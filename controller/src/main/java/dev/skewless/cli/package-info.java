/**
 * The release manager's verbs as use cases the command line calls ({@code apply -f}, later
 * {@code get}, {@code promote}, {@code revoke}...). Each validates everything before it writes.
 */
package dev.skewless.cli;
