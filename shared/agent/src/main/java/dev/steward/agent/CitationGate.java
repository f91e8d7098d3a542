package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.llm.OfflineExtractiveResponder;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Checks that an answer cites only what was retrieved, quoting it verbatim. */
final class CitationGate {
    private CitationGate() {}

    record Result(ObjectNode answer, int removed) {}

    static Result check(JsonNode answer, List<RetrievedChunk> sources) {
        Map<String, RetrievedChunk> byId = sources.stream()
                .collect(Collectors.toMap(RetrievedChunk::chunkId, Function.identity(), (a, b) -> a));
        ObjectNode out = answer.deepCopy();
        ArrayNode kept = out.putArray("citations");
        int removed = 0;
        for (JsonNode c : answer.path("citations")) {
            RetrievedChunk chunk = byId.get(c.path("chunkId").asText());
            String quote = c.path("quote").asText("");
            boolean valid = chunk != null
                    && chunk.documentId().equals(c.path("documentId").asText())
                    && !quote.isBlank()
                    && normalize(chunk.text()).contains(normalize(quote));
            if (valid) {
                kept.add(c);
            } else {
                removed++;
            }
        }
        if (removed > 0 && kept.isEmpty()) {
            out.put("answer", OfflineExtractiveResponder.NOT_FOUND);
        }
        return new Result(out, removed);
    }

    /** Whitespace differences (line breaks in PDFs) are not a different quote. */
    private static String normalize(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
