/**
 * The validating admission webhook served by {@code skewless operator}: the API server asks it
 * about every App and AppVersion write and it answers with every problem
 * {@code skewless apply} would report ({@link dev.skewless.operator.admission.RecordAdmission}),
 * over HTTPS with a certificate cert-manager rotates
 * ({@link dev.skewless.operator.admission.AdmissionServer}).
 */
package dev.skewless.operator.admission;
