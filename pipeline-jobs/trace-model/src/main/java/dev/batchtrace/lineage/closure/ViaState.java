package dev.batchtrace.lineage.closure;

/**
 * The latest known state of one "via" (work order or dispatch) of an edge, as the node learned it
 * from {@link LineageMessage.EdgeChange}s: a change with a higher {@code seq} replaces it, so edge
 * messages can arrive reordered or twice. A removed via stays as a tombstone ({@code present =
 * false}) so that an old "added" message arriving late cannot bring it back.
 *
 * @param customerId customer of the shipment (lot -> shipment edges only), else null
 */
public record ViaState(long seq, boolean present, String customerId) {}
