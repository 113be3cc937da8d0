package dev.skewless.sample;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Places orders against the {@link Catalogue} and remembers them for this process's lifetime. */
@Singleton
public final class OrderBook {

    /**
     * One priced line of a placed order.
     *
     * @param sku       the item
     * @param name      its display name when ordered
     * @param quantity  units ordered
     * @param unitMinor unit price in minor units
     * @param lineMinor {@code quantity * unitMinor}
     */
    public record PricedLine(String sku, String name, int quantity, long unitMinor, long lineMinor) {
    }

    /**
     * A placed order.
     *
     * @param id            {@code ord-<deployment>-<n>}: the version that took it is part of the id,
     *                      so two versions (separate processes, separate books) never hand out the same one
     * @param lines         what was ordered
     * @param totalMinor    the sum of the lines, in minor units
     * @param currency      ISO 4217 code
     * @param customerEmail v2 only
     * @param placedAt      when it was accepted
     */
    public record Order(String id, List<PricedLine> lines, long totalMinor, String currency,
                        @Nullable String customerEmail, Instant placedAt) {
        public Order {
            lines = List.copyOf(lines);
        }
    }

    /** What placing an order came to. */
    public sealed interface Outcome {
        record Placed(Order order) implements Outcome {
        }

        /** Not enough stock for some lines; nothing was taken. */
        record OutOfStock(List<FieldProblem> problems) implements Outcome {
        }
    }

    private final Catalogue catalogue;
    private final String deploymentId;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong(1000);
    private final Map<String, Order> orders = new ConcurrentHashMap<>();

    public OrderBook(Catalogue catalogue, Deployment deployment) {
        this(catalogue, deployment.id(), Clock.systemUTC());
    }

    OrderBook(Catalogue catalogue, String deploymentId, Clock clock) {
        this.catalogue = catalogue;
        this.deploymentId = deploymentId;
        this.clock = clock;
    }

    /** Takes stock for every line and records the order, or takes nothing. Lines name catalogue items. */
    public Outcome place(OrderRequest request) {
        List<FieldProblem> shortages = catalogue.take(request.lines());
        if (!shortages.isEmpty()) {
            return new Outcome.OutOfStock(shortages);
        }
        List<PricedLine> lines = request.lines().stream().map(line -> {
            Catalogue.Item item = catalogue.find(line.sku()).orElseThrow();
            return new PricedLine(item.sku(), item.name(), line.quantity(), item.priceMinor(),
                    item.priceMinor() * line.quantity());
        }).toList();
        long total = lines.stream().mapToLong(PricedLine::lineMinor).sum();
        Order order = new Order("ord-" + deploymentId + "-" + sequence.incrementAndGet(), lines, total, Catalogue.CURRENCY,
                request.customerEmail(), clock.instant());
        orders.put(order.id(), order);
        return new Outcome.Placed(order);
    }

    public Optional<Order> find(String id) {
        return Optional.ofNullable(orders.get(id));
    }
}
