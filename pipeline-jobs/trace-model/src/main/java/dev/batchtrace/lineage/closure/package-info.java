/**
 * Stage 2, the closure protocol, keyed by node (a lot or a shipment): {@link
 * dev.batchtrace.lineage.closure.NodeProtocol} over one node's {@link
 * dev.batchtrace.lineage.closure.NodeStore}, the messages between the stages and the nodes ({@link
 * dev.batchtrace.lineage.closure.LineageMessage}, routed by {@link
 * dev.batchtrace.lineage.closure.NodeKey}), and what a node keeps: its links to parents and
 * children, the announcements it got and sends, its closure slots and the holds those carry.
 *
 * <p>The protocol and why it converges are described in the package-info of {@code
 * dev.batchtrace.lineage}. A node also keeps the facts of the other concerns (lot and shipment
 * facts, flags, QC checks, machine runs), so this package uses theirs, and their stage-1 classes
 * send this package's messages.
 */
package dev.batchtrace.lineage.closure;
