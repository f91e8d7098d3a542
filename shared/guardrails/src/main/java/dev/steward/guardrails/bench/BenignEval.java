package dev.steward.guardrails.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.guardrails.injection.InjectionDetector;
import dev.steward.guardrails.injection.InjectionDetector.Mode;
import dev.steward.guardrails.toxicity.ToxicityClassifier;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * How often the detectors flag ordinary business text: the helpdesk tickets in {@code tickets/} (synthetic customer
 * requests and agent replies, none of them an attack or toxic). A ticket body is what a user types (injection,
 * direct mode) or what a tool returns (indirect mode); an agent reply is what a tool or a search over past answers
 * returns (indirect) and what an answer looks like (toxicity). Out of the training distribution of both models, so it
 * shows what the in-domain FPR hides. The tickets are for evaluation only (CC BY-NC): nothing is trained on them.
 *
 * <p>Two fixed halves by the file's {@code row} number: {@link Half#HELD_OUT} (even rows) is what the benchmark
 * reports; {@link Half#DEV} (odd rows) is the only half whose individual tickets may be read to understand errors.
 */
final class BenignEval {
    static final String FILE = "helpdesk_tickets_en_de.jsonl";

    enum Half {
        HELD_OUT, DEV;

        boolean contains(JsonNode row) {
            return row.path("row").asInt() % 2 == (this == HELD_OUT ? 0 : 1);
        }
    }

    /** Shares flagged; the German figure is the German ticket bodies of the same half, in indirect mode. */
    record Rates(int tickets, double injectionDirect, double injectionIndirect, double injectionIndirectReply,
                 int germanTickets, double injectionIndirectGerman, double toxicityReply) {}

    private BenignEval() {}

    static Rates run(Path file, Half half, InjectionDetector injection, ToxicityClassifier toxicity) {
        List<JsonNode> rows = Jsonl.read(file).stream().filter(half::contains).toList();
        List<String> bodies = texts(rows, "en", "body");
        List<String> replies = texts(rows, "en", "answer");
        List<String> german = texts(rows, "de", "body");
        return new Rates(bodies.size(),
                share(bodies, t -> injection.score(t, Mode.DIRECT).flagged()),
                share(bodies, t -> injection.score(t, Mode.INDIRECT).flagged()),
                share(replies, t -> injection.score(t, Mode.INDIRECT).flagged()),
                german.size(),
                share(german, t -> injection.score(t, Mode.INDIRECT).flagged()),
                share(replies, t -> toxicity.score(t).flagged()));
    }

    private static List<String> texts(List<JsonNode> rows, String language, String field) {
        return rows.stream().filter(r -> r.path("language").asText().equals(language))
                .map(r -> r.path(field).asText()).toList();
    }

    private static double share(List<String> texts, Predicate<String> flagged) {
        return texts.isEmpty() ? 0 : (double) texts.stream().filter(flagged).count() / texts.size();
    }
}
