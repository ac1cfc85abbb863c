package dev.batchtrace.cli.query;

import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.util.NamedValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every customer of a shipments query in one terms aggregation (count, first and last shipment,
 * name), so a large answer can show a page of its shipments and still name every customer.
 */
final class CustomerTotals {

    /** Far above any plant's customer count; a terms aggregation needs a bound. */
    static final int MAX_CUSTOMERS = 65_000;

    /** The bucket of dispatch notes without a customer id (the tables sort it last as "-"). */
    private static final String NO_CUSTOMER = "\u0000none";

    private CustomerTotals() {}

    static Aggregation aggregation() {
        return Aggregation.of(
                a ->
                        a.terms(
                                        t ->
                                                t.field("customerId")
                                                        .size(MAX_CUSTOMERS)
                                                        .missing(NO_CUSTOMER)
                                                        .order(
                                                                NamedValue.of(
                                                                        "_key", SortOrder.Asc)))
                                .aggregations("first", f -> f.min(m -> m.field("shippedAt")))
                                .aggregations("last", l -> l.max(m -> m.field("shippedAt")))
                                .aggregations(
                                        "name",
                                        n ->
                                                n.terms(
                                                        t ->
                                                                t.field("customerName.keyword")
                                                                        .size(1))));
    }

    /**
     * {@link #aggregation()} as the JSON body of a request sent without the typed client ({@link
     * RawRequests}).
     */
    static ObjectNode aggregationBody(ObjectNode empty) {
        ObjectNode terms = empty.putObject("terms");
        terms.put("field", "customerId");
        terms.put("size", MAX_CUSTOMERS);
        terms.put("missing", NO_CUSTOMER);
        terms.putObject("order").put("_key", "asc");
        ObjectNode aggregations = empty.putObject("aggs");
        aggregations.putObject("first").putObject("min").put("field", "shippedAt");
        aggregations.putObject("last").putObject("max").put("field", "shippedAt");
        ObjectNode name = aggregations.putObject("name").putObject("terms");
        name.put("field", "customerName.keyword");
        name.put("size", 1);
        return empty;
    }

    /** {@link #read(Aggregate)} from the JSON answer of {@link #aggregationBody}. */
    static List<CustomerTotal> read(JsonNode customers) {
        List<CustomerTotal> totals = new ArrayList<>();
        CustomerTotal none = null;
        for (JsonNode bucket : customers.path("buckets").values()) {
            String id = bucket.path("key").asString();
            JsonNode names = bucket.path("name").path("buckets");
            CustomerTotal total =
                    new CustomerTotal(
                            NO_CUSTOMER.equals(id) ? null : id,
                            names.isEmpty() ? null : names.get(0).path("key").asString(),
                            bucket.path("doc_count").asLong(),
                            instant(number(bucket.path("first").get("value"))),
                            instant(number(bucket.path("last").get("value"))));
            if (total.customerId() == null) {
                none = total;
            } else {
                totals.add(total);
            }
        }
        if (none != null) {
            totals.add(none);
        }
        return List.copyOf(totals);
    }

    private static Double number(JsonNode value) {
        return value == null || !value.isNumber() ? null : value.asDouble();
    }

    /** Customers sorted by id, the notes without one last (as {@link CustomerShipments#group}). */
    static List<CustomerTotal> read(Aggregate customers) {
        List<CustomerTotal> totals = new ArrayList<>();
        CustomerTotal none = null;
        for (StringTermsBucket bucket : customers.sterms().buckets().array()) {
            String id = bucket.key().stringValue();
            List<StringTermsBucket> names =
                    bucket.aggregations().get("name").sterms().buckets().array();
            CustomerTotal total =
                    new CustomerTotal(
                            NO_CUSTOMER.equals(id) ? null : id,
                            names.isEmpty() ? null : names.get(0).key().stringValue(),
                            bucket.docCount(),
                            instant(bucket.aggregations().get("first").min().value()),
                            instant(bucket.aggregations().get("last").max().value()));
            if (total.customerId() == null) {
                none = total;
            } else {
                totals.add(total);
            }
        }
        if (none != null) {
            totals.add(none);
        }
        return List.copyOf(totals);
    }

    /** A min or max over no value is null (or infinite in older servers). */
    private static Instant instant(Double epochMillis) {
        return epochMillis == null || epochMillis.isInfinite() || epochMillis.isNaN()
                ? null
                : Instant.ofEpochMilli(epochMillis.longValue());
    }
}
