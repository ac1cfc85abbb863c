/**
 * Serialised units (issue 10), kept apart from the lots so that a lot of 100,000 units does not
 * weigh on the genealogy: {@link dev.batchtrace.lineage.units.OutputSerials} (keyed by work order
 * and output) and the dispatch stage send {@link dev.batchtrace.lineage.units.UnitUpdate}s to a
 * unit stage keyed by (product, serial), which keeps {@link dev.batchtrace.lineage.units.UnitFacts}
 * (a join) and writes {@link dev.batchtrace.lineage.units.UnitDocuments} to trace-units.
 */
package dev.batchtrace.lineage.units;
