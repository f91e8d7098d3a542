package dev.steward.guardrails.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.guardrails.injection.InjectionDetector;
import dev.steward.guardrails.injection.InjectionDetector.Mode;
import dev.steward.guardrails.toxicity.ToxicityClassifier;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * How often the detectors flag ordinary business text: the English helpdesk tickets in {@code tickets/}
 * (synthetic customer requests and agent replies, none of them an attack or toxic). A ticket body is what a user
 * types (injection, direct mode) or what a tool returns (indirect mode); a reply is what an answer looks like
 * (toxicity). Out of the training distribution of both models, so it shows what the in-domain FPR hides.
 */
final class BenignEval {
    static final String FILE = "helpdesk_tickets_en_de.jsonl";

    record Rates(int tickets, double injectionDirect, double injectionIndirect, double toxicityReply) {}

    private BenignEval() {}

    static Rates run(Path file, InjectionDetector injection, ToxicityClassifier toxicity) {
        List<JsonNode> en = Jsonl.read(file).stream().filter(r -> r.path("language").asText().equals("en")).toList();
        List<String> bodies = en.stream().map(r -> r.path("body").asText()).toList();
        List<String> replies = en.stream().map(r -> r.path("answer").asText()).toList();
        return new Rates(en.size(),
                share(bodies, t -> injection.score(t, Mode.DIRECT).flagged()),
                share(bodies, t -> injection.score(t, Mode.INDIRECT).flagged()),
                share(replies, t -> toxicity.score(t).flagged()));
    }

    private static double share(List<String> texts, Predicate<String> flagged) {
        return texts.isEmpty() ? 0 : (double) texts.stream().filter(flagged).count() / texts.size();
    }
}
