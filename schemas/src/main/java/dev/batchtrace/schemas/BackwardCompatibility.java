package dev.batchtrace.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * BACKWARD compatibility check between two versions of one record: can consumers on the new
 * (reader) schema still read data written with the old (writer) one? Wraps Avro's {@link
 * SchemaCompatibility} and names the field that breaks instead of a JSON pointer.
 */
public final class BackwardCompatibility {

    private BackwardCompatibility() {}

    /**
     * The reasons {@code reader} cannot read data written with {@code writer}; empty when it can.
     * Each reason starts with the field path, e.g. {@code field 'lines[].quantity': ...}.
     */
    public static List<String> problems(Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        List<String> problems = new ArrayList<>();
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return problems;
        }
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            String field = fieldPath(reader, incompatibility.getLocation());
            problems.add(
                    "field '"
                            + (field.isEmpty() ? reader.getName() : field)
                            + "': "
                            + incompatibility.getType()
                            + " ("
                            + incompatibility.getMessage()
                            + ")");
        }
        return problems;
    }

    /** Turns a location such as {@code /fields/8/type/items/fields/2/type} into field names. */
    static String fieldPath(Schema root, String location) {
        String path = "";
        Schema current = root;
        String[] tokens = location.split("/");
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (current == null || token.isEmpty()) {
                continue;
            }
            switch (token) {
                case "fields" -> {
                    if (i + 1 < tokens.length && current.getType() == Schema.Type.RECORD) {
                        Schema.Field field = current.getFields().get(Integer.parseInt(tokens[++i]));
                        path = join(path, field.name());
                        current = field.schema();
                    }
                }
                case "items" -> {
                    current = nonNull(current).getElementType();
                    path = path + "[]";
                }
                case "values" -> {
                    current = nonNull(current).getValueType();
                    path = path + "{}";
                }
                case "type" -> {}
                default -> {
                    // a union branch index, or a name/symbols/size token that ends the path
                    if (current.getType() == Schema.Type.UNION && token.matches("\\d+")) {
                        current = current.getTypes().get(Integer.parseInt(token));
                    } else {
                        current = null;
                    }
                }
            }
        }
        return path;
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL)
                .findFirst()
                .orElse(schema);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
