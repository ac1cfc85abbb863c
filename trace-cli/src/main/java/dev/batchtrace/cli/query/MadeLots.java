package dev.batchtrace.cli.query;

import java.util.List;

/** The answer of {@code bin/trace lots}: the lots in lot-code order, and the Elasticsearch time. */
public record MadeLots(MadeHowQuery query, List<MadeLot> lots, long tookMs) {}
