package dev.batchtrace.connectors.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/** Writes a record with Avro binary encoding and reads it back, as a Kafka consumer would. */
final class AvroRoundTrip {

    private AvroRoundTrip() {}

    static SpecificRecordBase roundTrip(SpecificRecordBase record) {
        Schema schema = record.getSchema();
        SpecificData model = SpecificData.getForSchema(schema);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<SpecificRecordBase>(schema, model).write(record, encoder);
            encoder.flush();
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null);
            return new SpecificDatumReader<SpecificRecordBase>(schema, schema, model)
                    .read(null, decoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
