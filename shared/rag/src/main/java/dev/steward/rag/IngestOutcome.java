package dev.steward.rag;

import dev.steward.core.knowledge.DocumentId;
import java.util.Objects;

/** What a batch ingest did with one document. */
public sealed interface IngestOutcome {

    DocumentId document();

    /** Indexed; {@code result} as {@link KnowledgeBase#ingest} would have returned it. */
    record Ingested(DocumentId document, IngestResult result) implements IngestOutcome {
        public Ingested {
            Objects.requireNonNull(document, "document");
            Objects.requireNonNull(result, "result");
        }
    }

    /** Not indexed because its bytes cannot be read; its previous version, if any, is untouched. */
    record Rejected(DocumentId document, DocumentRejectedException reason) implements IngestOutcome {
        public Rejected {
            Objects.requireNonNull(document, "document");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
