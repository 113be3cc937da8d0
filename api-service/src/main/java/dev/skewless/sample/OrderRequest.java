package dev.skewless.sample;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * An order as read from either API schema: the lines and, in v2, the customer's e-mail.
 *
 * @param lines         at least one line
 * @param customerEmail required by v2; v1 has no such field
 */
public record OrderRequest(List<Line> lines, @Nullable String customerEmail) {

    public OrderRequest {
        lines = List.copyOf(lines);
    }

    /**
     * One ordered item.
     *
     * @param sku          the item
     * @param quantity     1..{@link OrderReader#MAX_QUANTITY}
     * @param skuPath      where the sku was in the request (for error messages), e.g. {@code lines[1].sku}
     * @param quantityPath where the quantity was
     */
    public record Line(String sku, int quantity, String skuPath, String quantityPath) {
    }
}
