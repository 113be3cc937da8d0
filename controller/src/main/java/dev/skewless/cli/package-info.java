/**
 * The {@code skewless} command: {@link dev.skewless.cli.SkewlessCommand} (picocli root, the runnable
 * jar's main class) and the release manager's verbs, which talk to the store directly:
 * {@code init} (and the emulator sandbox), {@code apply -f} ({@link dev.skewless.cli.ManifestApplier}:
 * validate everything, then write), {@code get}, {@code describe}, {@code promote},
 * {@code rollback}, {@code revoke} and {@code wait}. Verbs change specs only; the controller does
 * the rest. The store is chosen in one place, {@link dev.skewless.cli.StoreSelection}. Exit codes
 * are in {@link dev.skewless.cli.ExitCode}.
 */
package dev.skewless.cli;
