package dev.steward.guardrails.aws;

import dev.steward.core.error.PermanentException;
import dev.steward.guardrails.Finding;
import dev.steward.guardrails.Guardrail;
import dev.steward.guardrails.GuardrailInput;
import dev.steward.guardrails.Span;
import dev.steward.guardrails.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.comprehend.ComprehendClient;
import software.amazon.awssdk.services.comprehend.model.DetectToxicContentResponse;
import software.amazon.awssdk.services.comprehend.model.TextSegment;
import software.amazon.awssdk.services.comprehend.model.ToxicLabels;

/**
 * Toxicity by Amazon Comprehend {@code DetectToxicContent}, with the stage mapping of the local
 * {@link dev.steward.guardrails.toxicity.ToxicityGuardrail}: a toxic ANSWER is denied, toxic USER_INPUT or
 * TOOL_ARGUMENTS go to a human, RETRIEVED_CHUNK and TOOL_RESULT are allowed (data may legitimately quote abuse, so
 * they are not sent at all). The text is cut into segments of at most 1 KB (the service's limit) at word
 * boundaries, sent ten per request; a segment is toxic when its overall {@code Toxicity} reaches the threshold.
 * The finding's score is the highest segment's, its spans are the toxic segments, its detail names the labels at
 * or above the threshold.
 *
 * <p>Failures as in {@link ComprehendPiiGuardrail}. Thread-safe when the client is.
 */
public final class ComprehendToxicityGuardrail implements Guardrail {
    public static final String NAME = "comprehend-toxicity";
    static final int MAX_SEGMENT_BYTES = 1_000;
    static final int MAX_SEGMENTS = 10;
    private final ComprehendClient client;
    private final String languageCode;
    private final double threshold;

    public ComprehendToxicityGuardrail(ComprehendClient client, String languageCode, double threshold) {
        this.client = Objects.requireNonNull(client, "client");
        this.languageCode = Objects.requireNonNull(languageCode, "languageCode");
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1]: " + threshold);
        }
        this.threshold = threshold;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict check(GuardrailInput input) {
        if (input.stage().isUntrustedData() || input.text().isBlank()) {
            return Verdict.allow();
        }
        List<TextChunks.Chunk> segments = TextChunks.split(input.text(), MAX_SEGMENT_BYTES);
        List<Span> toxic = new ArrayList<>();
        double highest = 0;
        List<String> labels = new ArrayList<>();
        for (int from = 0; from < segments.size(); from += MAX_SEGMENTS) {
            List<TextChunks.Chunk> batch = segments.subList(from, Math.min(from + MAX_SEGMENTS, segments.size()));
            List<ToxicLabels> results = detect(batch);
            for (int i = 0; i < batch.size(); i++) {
                ToxicLabels result = results.get(i);
                double toxicity = result.toxicity() == null ? 0 : result.toxicity();
                if (toxicity >= threshold) {
                    TextChunks.Chunk c = batch.get(i);
                    toxic.add(new Span(c.start(), c.start() + c.text().length()));
                    highest = Math.max(highest, toxicity);
                    result.labels().stream().filter(l -> l.score() != null && l.score() >= threshold)
                            .map(l -> l.nameAsString()).filter(n -> !labels.contains(n)).forEach(labels::add);
                }
            }
        }
        if (toxic.isEmpty()) {
            return Verdict.allow();
        }
        List<Finding> findings = List.of(new Finding(NAME, "TOXICITY", highest, toxic,
                "toxicity " + String.format(Locale.ROOT, "%.3f", highest) + " in " + toxic.size() + " of "
                        + segments.size() + " segments" + (labels.isEmpty() ? "" : ", labels " + String.join(", ", labels))));
        return switch (input.stage()) {
            case ANSWER -> new Verdict.Deny("the answer contains toxic language", findings);
            case USER_INPUT, TOOL_ARGUMENTS -> new Verdict.Ask("toxic language at " + input.stage(), findings);
            case RETRIEVED_CHUNK, TOOL_RESULT -> Verdict.allow();
        };
    }

    private List<ToxicLabels> detect(List<TextChunks.Chunk> batch) {
        DetectToxicContentResponse response;
        try {
            response = client.detectToxicContent(r -> r.languageCode(languageCode)
                    .textSegments(batch.stream().map(c -> TextSegment.builder().text(c.text()).build()).toList()));
        } catch (SdkException e) {
            throw AwsFailures.classify("Comprehend DetectToxicContent", e);
        }
        if (response.resultList().size() != batch.size()) {
            throw new PermanentException("Comprehend DetectToxicContent returned "
                    + response.resultList().size() + " results for " + batch.size() + " segments");
        }
        return response.resultList();
    }
}
