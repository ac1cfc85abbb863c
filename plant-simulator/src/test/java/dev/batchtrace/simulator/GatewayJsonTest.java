package dev.batchtrace.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.LineResult;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class GatewayJsonTest {

    @Test
    void everyGeneratedEventReadsBackThroughTheGatewayParserUnchanged() throws Exception {
        List<SpecificRecordBase> events =
                PlantSimulator.generate(PlantParameters.profile("tiny", 3)).events();
        StringWriter out = new StringWriter();
        GatewayJson.write(events, out);
        List<LineResult> lines =
                new JsonLinesReader()
                        .readAll(
                                new ByteArrayInputStream(
                                        out.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(events.size(), lines.size());
        for (int i = 0; i < events.size(); i++) {
            ParsedEvent parsed = assertInstanceOf(ParsedEvent.class, lines.get(i), "line " + i);
            assertEquals(events.get(i), parsed.value(), "line " + (i + 1));
        }
    }
}
