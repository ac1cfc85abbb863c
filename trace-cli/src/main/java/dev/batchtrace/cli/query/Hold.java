package dev.batchtrace.cli.query;

import java.time.Instant;

/** One hold on a lot, own or inherited from a flagged ancestor ({@code holds[]} of a document). */
public record Hold(
        String flagId, String flaggedLotCode, String reason, String severity, Instant since) {}
