package dev.skewless.sample;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@code POST /api/orders} body in the shape of one API schema, collecting every problem
 * (with its field path) instead of stopping at the first. Fields of the other schema are reported as
 * not part of this one, so a client built for v1 talking to a v2 backend is told exactly what broke.
 */
final class OrderReader {

    static final int MAX_QUANTITY = 99;
    static final int MAX_LINES = 20;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /** The outcome of reading a body: a valid request, or every problem found. */
    sealed interface Result {
        record Valid(OrderRequest request) implements Result {
        }

        record Invalid(List<FieldProblem> problems) implements Result {
            public Invalid {
                problems = List.copyOf(problems);
            }
        }
    }

    private final Catalogue catalogue;

    OrderReader(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    Result read(ApiSchema schema, @Nullable JsonNode body) {
        if (body == null || !body.isObject()) {
            return new Result.Invalid(List.of(new FieldProblem("$", "the body must be a JSON object")));
        }
        return switch (schema) {
            case V1 -> readV1(body);
            case V2 -> readV2(body);
        };
    }

    /** v1: {@code {"itemId": "...", "quantity": n}}. */
    private Result readV1(JsonNode body) {
        List<FieldProblem> problems = new ArrayList<>();
        unknownFields(body, "", Set.of("itemId", "quantity"), Map.of(
                "lines", "API schema v1 orders one item: use itemId and quantity",
                "customer", "API schema v1 has no customer"), problems);
        String sku = sku(body.get("itemId"), "itemId", problems);
        Integer quantity = quantity(body.get("quantity"), "quantity", problems);
        if (!problems.isEmpty()) {
            return new Result.Invalid(problems);
        }
        return new Result.Valid(new OrderRequest(List.of(new OrderRequest.Line(sku, quantity, "itemId", "quantity")), null));
    }

    /** v2: {@code {"lines": [{"sku": "...", "quantity": n}], "customer": {"email": "..."}}}. */
    private Result readV2(JsonNode body) {
        List<FieldProblem> problems = new ArrayList<>();
        unknownFields(body, "", Set.of("lines", "customer"), Map.of(
                "itemId", "API schema v2 orders a list of lines: use lines[].sku",
                "quantity", "API schema v2 orders a list of lines: use lines[].quantity"), problems);
        List<OrderRequest.Line> lines = new ArrayList<>();
        JsonNode linesNode = body.get("lines");
        if (linesNode == null || linesNode.isNull()) {
            problems.add(new FieldProblem("lines", "required: a list of {sku, quantity}"));
        } else if (!linesNode.isArray()) {
            problems.add(new FieldProblem("lines", "must be a list of {sku, quantity}"));
        } else if (linesNode.size() == 0 || linesNode.size() > MAX_LINES) {
            problems.add(new FieldProblem("lines", "must have 1.." + MAX_LINES + " lines, has " + linesNode.size()));
        } else {
            for (int i = 0; i < linesNode.size(); i++) {
                String path = "lines[" + i + "]";
                JsonNode line = linesNode.get(i);
                if (line == null || !line.isObject()) {
                    problems.add(new FieldProblem(path, "must be an object {sku, quantity}"));
                    continue;
                }
                unknownFields(line, path + ".", Set.of("sku", "quantity"), Map.of(), problems);
                String sku = sku(line.get("sku"), path + ".sku", problems);
                Integer quantity = quantity(line.get("quantity"), path + ".quantity", problems);
                if (sku != null && quantity != null) {
                    lines.add(new OrderRequest.Line(sku, quantity, path + ".sku", path + ".quantity"));
                }
            }
        }
        String email = null;
        JsonNode customer = body.get("customer");
        if (customer == null || customer.isNull()) {
            problems.add(new FieldProblem("customer.email", "required: the customer's e-mail address"));
        } else if (!customer.isObject()) {
            problems.add(new FieldProblem("customer", "must be an object {email}"));
        } else {
            unknownFields(customer, "customer.", Set.of("email"), Map.of(), problems);
            JsonNode emailNode = customer.get("email");
            if (emailNode == null || emailNode.isNull()) {
                problems.add(new FieldProblem("customer.email", "required: the customer's e-mail address"));
            } else if (!emailNode.isString() || !EMAIL.matcher(emailNode.getStringValue().strip()).matches()) {
                problems.add(new FieldProblem("customer.email", "must be an e-mail address like name@example.com"));
            } else {
                email = emailNode.getStringValue().strip();
            }
        }
        if (!problems.isEmpty()) {
            return new Result.Invalid(problems);
        }
        return new Result.Valid(new OrderRequest(lines, email));
    }

    private String sku(@Nullable JsonNode node, String path, List<FieldProblem> problems) {
        if (node == null || node.isNull()) {
            problems.add(new FieldProblem(path, "required: the item's identifier"));
            return null;
        }
        if (!node.isString() || node.getStringValue().isBlank()) {
            problems.add(new FieldProblem(path, "must be a non-empty string"));
            return null;
        }
        String sku = node.getStringValue().strip();
        if (catalogue.find(sku).isEmpty()) {
            problems.add(new FieldProblem(path, "no item '" + sku + "' in the catalogue"));
            return null;
        }
        return sku;
    }

    private static Integer quantity(@Nullable JsonNode node, String path, List<FieldProblem> problems) {
        if (node == null || node.isNull()) {
            problems.add(new FieldProblem(path, "required: a whole number 1.." + MAX_QUANTITY));
            return null;
        }
        if (!node.isNumber()) {
            problems.add(new FieldProblem(path, "must be a whole number 1.." + MAX_QUANTITY));
            return null;
        }
        BigDecimal value = node.getBigDecimalValue();
        if (value.stripTrailingZeros().scale() > 0
                || value.compareTo(BigDecimal.ONE) < 0 || value.compareTo(BigDecimal.valueOf(MAX_QUANTITY)) > 0) {
            problems.add(new FieldProblem(path, "must be a whole number 1.." + MAX_QUANTITY + ", was " + value.toPlainString()));
            return null;
        }
        return value.intValueExact();
    }

    /** Reports each field not in {@code known}, with a hint when it belongs to the other schema. */
    private static void unknownFields(JsonNode object, String prefix, Set<String> known, Map<String, String> hints,
                                      List<FieldProblem> problems) {
        for (Map.Entry<String, JsonNode> entry : object.entries()) {
            String name = entry.getKey();
            if (!known.contains(name)) {
                problems.add(new FieldProblem(prefix + name,
                        hints.getOrDefault(name, "unknown field; expected one of " + known.stream().sorted().toList())));
            }
        }
    }
}
