package dev.batchtrace.lineage.stock;

/**
 * What the work-order stage last told the nodes about one lot -> lot edge of its work order: the
 * sequence number of that change and whether the edge is present.
 */
public record EdgeEmission(long seq, boolean present) {}
