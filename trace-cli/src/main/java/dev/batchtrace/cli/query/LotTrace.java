package dev.batchtrace.cli.query;

/** {@code trace lot CODE}: the backward and the forward trace of one lot. */
public record LotTrace(String lotCode, BackwardTrace backward, ForwardTrace forward, long tookMs) {}
