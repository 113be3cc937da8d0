package dev.skewless.sample;

import io.micronaut.serde.annotation.Serdeable;

/**
 * One thing wrong with a request, tied to the JSON path of the field.
 *
 * @param field   the field path, e.g. {@code lines[0].quantity} or {@code customer.email}
 * @param message what is wrong and what would be right
 */
@Serdeable
public record FieldProblem(String field, String message) {
}
