/**
 * Reading and writing App and AppVersion manifests (YAML or JSON). {@link
 * dev.skewless.model.manifest.ManifestReader} binds documents to records by hand so that every
 * problem is reported with its path; {@link dev.skewless.model.manifest.ManifestWriter} writes
 * the same field names back, so write-then-read gives equal records.
 */
package dev.skewless.model.manifest;
