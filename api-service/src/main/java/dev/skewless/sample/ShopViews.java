package dev.skewless.sample;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The JSON shapes of the two API schemas. v1 is flat with decimal prices; v2 renames fields, nests
 * money as minor units with a currency, and wraps an order in an envelope with a list of lines.
 */
final class ShopViews {

    private ShopViews() {
    }

    /** The catalogue in the given schema. */
    static Object items(ApiSchema schema, List<Catalogue.Item> items) {
        return switch (schema) {
            case V1 -> new V1.Items(items.stream()
                    .map(i -> new V1.Item(i.sku(), i.name(), decimal(i.priceMinor()), i.currency(), i.inStock()))
                    .toList());
            case V2 -> new V2.Items(items.stream()
                    .map(i -> new V2.Item(i.sku(), i.name(), new V2.Money(i.priceMinor(), i.currency()), i.inStock()))
                    .toList(), items.size());
        };
    }

    /** A placed order in the given schema. */
    static Object order(ApiSchema schema, OrderBook.Order order) {
        return switch (schema) {
            case V1 -> {
                // a v1 order always has exactly one line (the reader builds it so)
                OrderBook.PricedLine line = order.lines().getFirst();
                yield new V1.Order(order.id(), line.sku(), line.quantity(), decimal(order.totalMinor()),
                        order.currency(), "confirmed", order.placedAt());
            }
            case V2 -> new V2.OrderEnvelope(new V2.Order(order.id(),
                    order.lines().stream().map(l -> new V2.Line(l.sku(), l.name(), l.quantity(),
                            new V2.Money(l.lineMinor(), order.currency()))).toList(),
                    new V2.Money(order.totalMinor(), order.currency()),
                    order.customerEmail() == null ? null : new V2.Customer(order.customerEmail()),
                    "CONFIRMED", order.placedAt()));
        };
    }

    private static BigDecimal decimal(long minor) {
        return BigDecimal.valueOf(minor, 2);
    }

    static final class V1 {
        private V1() {
        }

        @Serdeable
        record Item(String id, String name, BigDecimal price, String currency, int stock) {
        }

        @Serdeable
        record Items(List<Item> items) {
        }

        @Serdeable
        record Order(String orderId, String itemId, int quantity, BigDecimal total, String currency, String status,
                     Instant placedAt) {
        }
    }

    static final class V2 {
        private V2() {
        }

        @Serdeable
        record Money(long amountMinor, String currency) {
        }

        @Serdeable
        record Item(String sku, String title, Money price, int inStock) {
        }

        @Serdeable
        record Items(List<Item> items, int count) {
        }

        @Serdeable
        record Line(String sku, String title, int quantity, Money lineTotal) {
        }

        @Serdeable
        record Customer(String email) {
        }

        @Serdeable
        record Order(String id, List<Line> lines, Money total, @Nullable Customer customer, String status,
                     Instant placedAt) {
        }

        @Serdeable
        record OrderEnvelope(Order order) {
        }
    }
}
