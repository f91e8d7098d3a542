package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.run.Observation;
import dev.steward.guardrails.injection.Quarantine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Prompt text for the Respond step and parsing of the model's JSON reply. */
final class Prompts {
    private Prompts() {}

    /**
     * How the model must treat checked text: quarantined blocks are data, and placeholders stand for personal data
     * that Steward fills in when an approved action runs.
     */
    static final String DATA_RULES = Quarantine.PROMPT_RULE + "\n"
            + "Personal data appears as placeholders such as <EMAIL_1> or <PERSON_2>. Use a placeholder exactly as written"
            + " wherever the value is needed (for example as an email recipient); never guess the value behind it.";

    static final String ANSWER_FORMAT = """
            Answer only from the numbered sources. Reply with one JSON object and nothing else:
            {"answer": "<your answer>", "citations": [{"chunkId": "<id of a source>", "quote": "<exact words copied from that source>"}]}
            Every claim must be supported by a citation whose quote is copied verbatim from the source.
            If the sources do not contain the answer, reply {"answer": "Not found in the knowledge base.", "citations": []}.
            """ + DATA_RULES;

    static final String TOOL_USE = """
            You may call the tools offered to you when the request needs an action (for example sending an email).
            Call a tool only with arguments the request and the sources justify. When no action is needed, or the
            actions are done (their results are listed below), answer without calling a tool.
            """ + DATA_RULES;

    static String question(String input, List<RetrievedChunk> sources) {
        return question(input, sources, List.of());
    }

    static String question(String input, List<RetrievedChunk> sources, List<Observation> observations) {
        String base = sourcesAndQuestion(input, sources);
        if (observations.isEmpty()) {
            return base;
        }
        StringBuilder b = new StringBuilder(base).append("\n\nTool calls made so far and their results:");
        for (Observation o : observations) {
            b.append("\n- ").append(o.tool()).append(' ').append(Json.write(o.arguments())).append(" -> ").append(Json.write(o.result()));
        }
        return b.toString();
    }

    private static String sourcesAndQuestion(String input, List<RetrievedChunk> sources) {
        StringBuilder b = new StringBuilder("Sources:\n");
        for (RetrievedChunk s : sources) {
            b.append("\n[").append(s.chunkId()).append("] ").append(s.title());
            if (!s.section().isBlank()) {
                b.append(" / ").append(s.section());
            }
            b.append('\n').append(s.text()).append('\n');
        }
        return b.append("\nQuestion: ").append(input).toString();
    }

    /** The model's reply as an answer object, with each citation's documentId filled in from the sources. */
    static Optional<ObjectNode> parseAnswer(String reply, List<RetrievedChunk> sources) {
        String text = reply.strip();
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        if (start < 0 || end <= start) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = Json.tree(text.substring(start, end + 1));
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
        if (!node.isObject() || !node.path("answer").isTextual() || !node.path("citations").isArray()) {
            return Optional.empty();
        }
        Map<String, RetrievedChunk> byId = sources.stream()
                .collect(Collectors.toMap(RetrievedChunk::chunkId, Function.identity(), (a, b) -> a));
        ObjectNode answer = Json.object().put("answer", node.get("answer").asText());
        ArrayNode citations = answer.putArray("citations");
        for (JsonNode c : node.get("citations")) {
            String chunkId = c.path("chunkId").asText("");
            RetrievedChunk chunk = byId.get(chunkId);
            citations.addObject()
                    .put("documentId", chunk == null ? "" : chunk.documentId())
                    .put("chunkId", chunkId)
                    .put("quote", c.path("quote").asText(""));
        }
        return Optional.of(answer);
    }
}
