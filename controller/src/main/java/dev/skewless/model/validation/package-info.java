/**
 * Whether records may be applied: {@link dev.skewless.model.validation.RecordValidator} checks
 * each record and the set of records (those being applied plus those stored) and reports every
 * {@link dev.skewless.model.validation.Problem} with its path. Pure: no I/O.
 */
package dev.skewless.model.validation;
