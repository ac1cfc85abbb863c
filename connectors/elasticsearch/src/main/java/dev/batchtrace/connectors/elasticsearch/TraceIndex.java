package dev.batchtrace.connectors.elasticsearch;

/**
 * The index families of the trace read model. Jobs write to and Kibana reads from the {@link
 * #alias()}; the alias points at a versioned concrete index ({@code trace-lots-v1}) so a mapping
 * change can be rolled out as {@code -v2} plus an alias swap.
 */
public enum TraceIndex {
    LOTS("trace-lots", 1),
    WORK_ORDERS("trace-work-orders", 1),
    SHIPMENTS("trace-shipments", 1),
    ALERTS("trace-alerts", 1),
    /** A hub lot's closure, one document per member (see the lineage package-info). */
    CLOSURES("trace-closures", 1),
    /** One document per unit (product, serial), issue 10. */
    UNITS("trace-units", 1),
    /** Documents Elasticsearch refused, with the reason and their bytes (the sink goes on). */
    DEAD_LETTERS("trace-dead-letters", 1);

    private final String family;
    private final int version;

    TraceIndex(String family, int version) {
        this.family = family;
        this.version = version;
    }

    /** The name to write to and search, e.g. {@code trace-lots}. */
    public String alias() {
        return family;
    }

    /** The concrete index behind the alias, e.g. {@code trace-lots-v1}. */
    public String concreteIndex() {
        return family + "-v" + version;
    }

    /** Name of the composable index template, e.g. {@code trace-lots}. */
    public String templateName() {
        return family;
    }

    /** Classpath location of the template body (under version control in src/main/resources). */
    public String templateResource() {
        return "elasticsearch/index-templates/" + family + ".json";
    }
}
