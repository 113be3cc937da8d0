package dev.skewless.sample;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.tree.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The shop API under {@code /api}, in the shape of the deployment's {@link ApiSchema}: the catalogue
 * ({@code GET /api/items}), placing an order ({@code POST /api/orders}) and reading one back
 * ({@code GET /api/orders/{id}}). Everything is in memory, so handlers never block the event loop.
 */
@Controller("/api")
final class ShopController {

    private static final Logger LOG = LoggerFactory.getLogger(ShopController.class);

    private final Deployment deployment;
    private final Catalogue catalogue;
    private final OrderBook orders;
    private final OrderReader reader;

    ShopController(Deployment deployment, Catalogue catalogue, OrderBook orders) {
        this.deployment = deployment;
        this.catalogue = catalogue;
        this.orders = orders;
        this.reader = new OrderReader(catalogue);
    }

    @Get("/items")
    HttpResponse<?> items() {
        return HttpResponse.ok(ShopViews.items(deployment.schema(), catalogue.items()));
    }

    @Post("/orders")
    HttpResponse<?> place(@Body @Nullable JsonNode body) {
        return switch (reader.read(deployment.schema(), body)) {
            case OrderReader.Result.Invalid invalid -> {
                LOG.atInfo().addKeyValue("version", deployment.id()).addKeyValue("schema", deployment.schema().id())
                        .addKeyValue("action", "place-order").addKeyValue("outcome", "invalid")
                        .addKeyValue("problems", invalid.problems().size()).log("order refused");
                yield Problem.of("invalid-order", HttpStatus.UNPROCESSABLE_ENTITY,
                        "The order does not match API schema " + deployment.schema().id() + " of version "
                                + deployment.id() + ".", deployment, invalid.problems()).toResponse();
            }
            case OrderReader.Result.Valid valid -> switch (orders.place(valid.request())) {
                case OrderBook.Outcome.OutOfStock out -> Problem.of("out-of-stock", HttpStatus.CONFLICT,
                        "Not enough stock for this order; nothing was reserved.", deployment, out.problems()).toResponse();
                case OrderBook.Outcome.Placed placed -> {
                    LOG.atInfo().addKeyValue("version", deployment.id()).addKeyValue("schema", deployment.schema().id())
                            .addKeyValue("action", "place-order").addKeyValue("outcome", "placed")
                            .addKeyValue("order", placed.order().id()).log("order placed");
                    yield HttpResponse.created(ShopViews.order(deployment.schema(), placed.order()))
                            .header("Location", "/api/orders/" + placed.order().id());
                }
            };
        };
    }

    @Get("/orders/{id}")
    HttpResponse<?> order(@PathVariable String id) {
        return orders.find(id)
                .<HttpResponse<?>>map(order -> HttpResponse.ok(ShopViews.order(deployment.schema(), order)))
                .orElseGet(() -> Problem.of("order-not-found", HttpStatus.NOT_FOUND,
                        "No order '" + id + "' was placed with version " + deployment.id() + ".", deployment,
                        List.of()).toResponse());
    }
}
