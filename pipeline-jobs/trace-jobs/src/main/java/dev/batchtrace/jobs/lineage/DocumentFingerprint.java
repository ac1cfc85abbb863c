package dev.batchtrace.jobs.lineage;

/**
 * A 64-bit fingerprint of a document update (index, id, body), so that a node writes its document
 * only when the body differs from the one it wrote last. A node is marked for a document by any
 * change that may show in it, and many do not (a closure entry's depth or version, a usage that
 * leaves the stock on hold as it was): in a bulk replay tens of thousands of such rewrites were
 * still queued when every document was already right. FNV-1a over the UTF-16 units, hand-written
 * because it is ten lines and needs no library; only equal bodies must collide, and two bodies of
 * one document colliding by chance is about 1 in 2^64.
 */
final class DocumentFingerprint {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private DocumentFingerprint() {}

    static long of(DocumentUpdate update) {
        long hash = OFFSET;
        hash = mix(hash, update.index());
        hash = (hash ^ 0xFFFF) * PRIME; // separators: ("ab","c") and ("a","bc") differ
        hash = mix(hash, update.id());
        hash = (hash ^ 0xFFFF) * PRIME;
        if (update.json() == null) {
            return (hash ^ 0xFFFE) * PRIME; // a deletion differs from every body
        }
        return mix(hash, update.json());
    }

    private static long mix(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * PRIME;
        }
        return hash;
    }
}
