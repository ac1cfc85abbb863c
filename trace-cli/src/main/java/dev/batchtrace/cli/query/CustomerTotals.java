package dev.batchtrace.cli.query;

import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.util.NamedValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
