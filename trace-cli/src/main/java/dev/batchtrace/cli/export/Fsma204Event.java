package dev.batchtrace.cli.export;

import java.time.Instant;

/**
 * One critical tracking event of the FSMA 204 sortable spreadsheet with its key data elements. The
 * mapping from our events: trace-cli README, "FSMA 204 export".
 *
 * @param cte Receiving, Transformation or Shipping
 * @param traceabilityLotCode our lot code (every lot, bought or made, has one)
 * @param location where the event happened (our site; for shipping the ship-from site)
 * @param immediatePreviousSource receiving: the supplier the lot came from
 * @param immediateSubsequentRecipient shipping: the customer and destination
 * @param tlcSource where the traceability lot code was assigned (supplier for bought lots, our site
 *     for made ones)
 * @param supplierLotCode receiving: the lot code the supplier assigned
 * @param inputLots transformation: the work order's input lots with the quantities it consumed
 */
public record Fsma204Event(
        String cte,
        Instant date,
        String traceabilityLotCode,
        String productCode,
        String productDescription,
        Double quantity,
        String unit,
        String location,
        String immediatePreviousSource,
        String immediateSubsequentRecipient,
        String tlcSource,
        String supplierLotCode,
        String inputLots,
        String referenceDocumentType,
        String referenceDocumentNumber) {

    public static final String RECEIVING = "Receiving";
    public static final String TRANSFORMATION = "Transformation";
    public static final String SHIPPING = "Shipping";
}
