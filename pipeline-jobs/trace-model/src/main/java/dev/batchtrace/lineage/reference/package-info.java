/**
 * The batch reference ({@link dev.batchtrace.lineage.reference.LineageReference}): the trace
 * documents and alerts computed directly from a list of events, the independent check of the
 * incremental protocol. It uses every other package and nothing else in trace-model uses it, so it
 * sits on top.
 */
package dev.batchtrace.lineage.reference;
