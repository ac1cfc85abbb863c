package dev.batchtrace.connectors.kafka;

import dev.batchtrace.events.GoodsReceipt;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/** Test data shared by the unit tests and ITCases. */
public final class Samples {
    private Samples() {}

    public static GoodsReceipt receipt(int n) {
        return GoodsReceipt.newBuilder()
                .setReceiptId("GR-" + n)
                .setLotCode("LOT-" + n)
                .setMaterialCode("RESIN-PA66")
                .setMaterialName("Polyamide 66 resin")
                .setSupplierId("SUP-7")
                .setSupplierName("Polymer Works GmbH")
                .setSupplierLotCode("PW-2026-" + n)
                .setQuantity(250.0 + n)
                .setUnit("kg")
                .setUnitCost(n % 2 == 0 ? 3.25 : null)
                .setCurrency(n % 2 == 0 ? "EUR" : null)
                .setReceivedAt(Instant.parse("2026-11-24T08:00:00Z").plusSeconds(n))
                .setSite("PLANT-1")
                .setPurchaseOrder("PO-" + (1000 + n))
                .setExpiresAt(n % 3 == 0 ? Instant.parse("2027-11-24T00:00:00Z") : null)
                .build();
    }

    /** Version 1 of a small test record (its own namespace, so each test may register it). */
    public static Schema sensorV1(String namespace) {
        return SchemaBuilder.record("SensorReading")
                .namespace(namespace)
                .fields()
                .requiredString("machineId")
                .requiredDouble("value")
                .endRecord();
    }

    /** Version 2: adds an optional field with a default, so v1 data reads as v2. */
    public static Schema sensorV2(String namespace) {
        return SchemaBuilder.record("SensorReading")
                .namespace(namespace)
                .fields()
                .requiredString("machineId")
                .requiredDouble("value")
                .name("unit")
                .type()
                .stringType()
                .stringDefault("unknown")
                .name("note")
                .type()
                .optional()
                .stringType()
                .endRecord();
    }

    /** A breaking version: a new required field without default. */
    public static Schema sensorBreaking(String namespace) {
        return SchemaBuilder.record("SensorReading")
                .namespace(namespace)
                .fields()
                .requiredString("machineId")
                .requiredDouble("value")
                .requiredLong("sequence")
                .endRecord();
    }
}
