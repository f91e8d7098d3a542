package dev.steward.rag;

/** What indexing one document produced. */
public record IngestResult(String title, int chunks) {}
