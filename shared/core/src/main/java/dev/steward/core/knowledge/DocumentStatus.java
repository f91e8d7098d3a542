package dev.steward.core.knowledge;

/** Ingestion lifecycle of a document. */
public enum DocumentStatus {
    QUEUED, INDEXED, FAILED
}
