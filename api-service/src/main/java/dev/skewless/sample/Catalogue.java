package dev.skewless.sample;

import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shop's items and their stock, in memory: each version's process has its own, which is what a
 * demo of several versions side by side wants (and why stock is generous).
 */
@Singleton
public final class Catalogue {

    /**
     * One item as the shop knows it, independent of the API schema.
     *
     * @param sku        the stable identifier ({@code id} in v1, {@code sku} in v2)
     * @param name       the display name ({@code name} in v1, {@code title} in v2)
     * @param priceMinor the unit price in minor units (cents)
     * @param currency   ISO 4217 code
     * @param inStock    units available now
     */
    public record Item(String sku, String name, long priceMinor, String currency, int inStock) {
    }

    static final String CURRENCY = "EUR";
    static final int INITIAL_STOCK = 1_000;

    private final Map<String, Item> items = new LinkedHashMap<>();

    public Catalogue() {
        for (Item item : List.of(
                new Item("espresso-beans", "Espresso beans, 1 kg", 2_450, CURRENCY, INITIAL_STOCK),
                new Item("pour-over-kettle", "Pour-over kettle", 5_900, CURRENCY, INITIAL_STOCK),
                new Item("burr-grinder", "Conical burr grinder", 12_900, CURRENCY, INITIAL_STOCK),
                new Item("paper-filters", "Paper filters, 100 pack", 650, CURRENCY, INITIAL_STOCK))) {
            items.put(item.sku(), item);
        }
    }

    /** Every item, in catalogue order. */
    public synchronized List<Item> items() {
        return List.copyOf(items.values());
    }

    public synchronized Optional<Item> find(String sku) {
        return Optional.ofNullable(items.get(sku));
    }

    /**
     * Takes the lines' quantities out of stock, all or nothing.
     *
     * @return the problems (one per line that cannot be served, by the line's field path); empty
     *         when the stock was taken
     */
    public synchronized List<FieldProblem> take(List<OrderRequest.Line> lines) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        List<FieldProblem> problems = new ArrayList<>();
        for (OrderRequest.Line line : lines) {
            Item item = items.get(line.sku());
            int total = wanted.merge(line.sku(), line.quantity(), Integer::sum);
            if (item != null && total > item.inStock()) {
                problems.add(new FieldProblem(line.quantityPath(),
                        "only " + item.inStock() + " of " + line.sku() + " in stock, " + total + " ordered"));
            }
        }
        if (problems.isEmpty()) {
            wanted.forEach((sku, quantity) -> items.computeIfPresent(sku,
                    (k, item) -> new Item(k, item.name(), item.priceMinor(), item.currency(), item.inStock() - quantity)));
        }
        return problems;
    }
}
