package dev.batchtrace.lineage;

import dev.batchtrace.lineage.documents.TraceDocument;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Describes the first difference between two sets of documents, for failure messages. */
public final class DocumentDiff {

    private DocumentDiff() {}

    /** null when equal. */
    public static String first(
            Map<String, TraceDocument> expected, Map<String, TraceDocument> actual) {
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            TraceDocument e = expected.get(key);
            TraceDocument a = actual.get(key);
            if (e == null) {
                return key + ": unexpected document " + a.source();
            }
            if (a == null) {
                return key + ": missing document, expected " + e.source();
            }
            if (!Objects.equals(e.source(), a.source())) {
                TreeSet<String> fields = new TreeSet<>(e.source().keySet());
                fields.addAll(a.source().keySet());
                for (String f : fields) {
                    Object ev = e.source().get(f);
                    Object av = a.source().get(f);
                    if (!Objects.equals(ev, av)) {
                        return key + "." + f + ": expected " + ev + " but was " + av;
                    }
                }
            }
        }
        return null;
    }
}
