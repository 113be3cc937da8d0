package dev.skewless.sample;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The shape of the shop API a version serves. A release that moves from {@link #V1} to {@link #V2}
 * is a breaking change: fields are renamed and restructured and the order gains a required field,
 * so a client built for one cannot talk to the other.
 */
public enum ApiSchema {
    /** Flat items ({@code id, name, price, stock}); an order is one {@code itemId} and a {@code quantity}. */
    V1,
    /**
     * Items as {@code sku, title, price: {amountMinor, currency}, inStock}; an order is a list of
     * {@code lines: [{sku, quantity}]} and requires {@code customer.email}.
     */
    V2;

    /** The value as written in configuration: {@code v1} or {@code v2}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The schema named by {@code text} ({@code v1}/{@code v2}, case-insensitive), if any. */
    public static Optional<ApiSchema> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.strip();
        return Arrays.stream(values()).filter(s -> s.id().equalsIgnoreCase(wanted)).findFirst();
    }
}
