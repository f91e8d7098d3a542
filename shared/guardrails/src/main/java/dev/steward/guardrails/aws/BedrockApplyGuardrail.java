package dev.steward.guardrails.aws;

import dev.steward.guardrails.Finding;
import dev.steward.guardrails.Guardrail;
import dev.steward.guardrails.GuardrailInput;
import dev.steward.guardrails.Stage;
import dev.steward.guardrails.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ApplyGuardrailResponse;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailAction;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentSource;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailOutputContent;

/**
 * A guardrail configured in Amazon Bedrock (denied topics, content filters, word lists, sensitive information,
 * contextual grounding), applied with {@code ApplyGuardrail} on text alone, without a model call.
 *
 * <p>Source: {@code INPUT} for USER_INPUT, RETRIEVED_CHUNK and TOOL_RESULT (text going into the model),
 * {@code OUTPUT} for ANSWER and TOOL_ARGUMENTS (text the model produced). Verdicts:
 * <ul>
 *   <li>{@code NONE}: {@link Verdict.Allow};</li>
 *   <li>{@code GUARDRAIL_INTERVENED} where every policy that acted only masked ({@code ANONYMIZED}):
 *       {@link Verdict.Redact} with Bedrock's masked output, at every stage (as local PII redaction);</li>
 *   <li>{@code GUARDRAIL_INTERVENED} with something {@code BLOCKED}: {@link Verdict.Deny} at USER_INPUT and ANSWER,
 *       {@link Verdict.Ask} at RETRIEVED_CHUNK, TOOL_RESULT and TOOL_ARGUMENTS (a human decides whether the data or
 *       the call may go on).</li>
 * </ul>
 * One finding per policy entry that acted, category {@code TOPIC:<name>}, {@code CONTENT:<type>},
 * {@code WORD:CUSTOM}, {@code WORD:<list>}, {@code PII:<type>}, {@code REGEX:<name>} or {@code GROUNDING:<type>};
 * the detail names the action, never the matched text. Content filter confidence maps to a score (LOW 0.33,
 * MEDIUM 0.67, HIGH 1.0), grounding findings carry Bedrock's score, the others 1.0.
 *
 * <p>Failures: throttling, 5xx and timeouts throw {@link dev.steward.core.error.TransientException}, other errors
 * (validation, unknown guardrail or version, access denied) {@link dev.steward.core.error.PermanentException}.
 * Thread-safe when the client is.
 */
public final class BedrockApplyGuardrail implements Guardrail {
    public static final String NAME = "bedrock-guardrail";
    private final BedrockRuntimeClient client;
    private final String guardrailId;
    private final String guardrailVersion;

    public BedrockApplyGuardrail(BedrockRuntimeClient client, String guardrailId, String guardrailVersion) {
        this.client = Objects.requireNonNull(client, "client");
        this.guardrailId = requireText(guardrailId, "guardrailId");
        this.guardrailVersion = requireText(guardrailVersion, "guardrailVersion");
    }

    @Override
    public String name() {
        return NAME;
    }

    static GuardrailContentSource sourceOf(Stage stage) {
        return switch (stage) {
            case USER_INPUT, RETRIEVED_CHUNK, TOOL_RESULT -> GuardrailContentSource.INPUT;
            case ANSWER, TOOL_ARGUMENTS -> GuardrailContentSource.OUTPUT;
        };
    }

    @Override
    public Verdict check(GuardrailInput input) {
        if (input.text().isBlank()) {
            return Verdict.allow();
        }
        ApplyGuardrailResponse response;
        try {
            response = client.applyGuardrail(r -> r.guardrailIdentifier(guardrailId).guardrailVersion(guardrailVersion)
                    .source(sourceOf(input.stage()))
                    .content(GuardrailContentBlock.fromText(t -> t.text(input.text()))));
        } catch (SdkException e) {
            throw AwsFailures.classify("Bedrock ApplyGuardrail " + guardrailId + "/" + guardrailVersion, e);
        }
        if (response.action() != GuardrailAction.GUARDRAIL_INTERVENED) {
            return Verdict.allow();
        }
        List<Acted> acted = new ArrayList<>();
        response.assessments().forEach(a -> collect(a, acted));
        if (acted.isEmpty()) {
            acted.add(new Acted("GUARDRAIL", "BLOCKED", 1.0));
        }
        List<Finding> findings = acted.stream().map(a -> Finding.of(NAME, a.category(), a.score(),
                a.action() + " by " + guardrailId + "/" + guardrailVersion + " at " + input.stage())).toList();
        boolean masksOnly = acted.stream().allMatch(a -> a.action().equals("ANONYMIZED"));
        String masked = response.outputs().stream().map(GuardrailOutputContent::text).filter(Objects::nonNull)
                .collect(Collectors.joining());
        if (masksOnly && !masked.isEmpty()) {
            return new Verdict.Redact(masked, findings);
        }
        String reason = "Bedrock guardrail blocked the text at " + input.stage() + ": "
                + acted.stream().map(Acted::category).distinct().collect(Collectors.joining(", "));
        return switch (input.stage()) {
            case USER_INPUT, ANSWER -> new Verdict.Deny(reason, findings);
            case RETRIEVED_CHUNK, TOOL_RESULT, TOOL_ARGUMENTS -> new Verdict.Ask(reason, findings);
        };
    }

    /** One policy entry that acted. */
    private record Acted(String category, String action, double score) {}

    private static void collect(GuardrailAssessment a, List<Acted> out) {
        if (a.topicPolicy() != null) {
            a.topicPolicy().topics().forEach(t -> add(out, "TOPIC:" + t.name(), t.actionAsString(), t.detected(), 1.0));
        }
        if (a.contentPolicy() != null) {
            a.contentPolicy().filters().forEach(f -> add(out, "CONTENT:" + f.typeAsString(), f.actionAsString(),
                    f.detected(), confidence(f.confidenceAsString())));
        }
        if (a.wordPolicy() != null) {
            a.wordPolicy().customWords().forEach(w -> add(out, "WORD:CUSTOM", w.actionAsString(), w.detected(), 1.0));
            a.wordPolicy().managedWordLists().forEach(w -> add(out, "WORD:" + w.typeAsString(), w.actionAsString(),
                    w.detected(), 1.0));
        }
        if (a.sensitiveInformationPolicy() != null) {
            a.sensitiveInformationPolicy().piiEntities().forEach(p -> add(out, "PII:" + p.typeAsString(),
                    p.actionAsString(), p.detected(), 1.0));
            a.sensitiveInformationPolicy().regexes().forEach(r -> add(out, "REGEX:" + r.name(), r.actionAsString(),
                    r.detected(), 1.0));
        }
        if (a.contextualGroundingPolicy() != null) {
            a.contextualGroundingPolicy().filters().forEach(g -> add(out, "GROUNDING:" + g.typeAsString(),
                    g.actionAsString(), g.detected(), g.score() == null ? 1.0 : Math.clamp(g.score(), 0.0, 1.0)));
        }
    }

    /** Keeps entries that acted: {@code NONE} actions and entries reported as not detected (FULL scope) are not findings. */
    private static void add(List<Acted> out, String category, String action, Boolean detected, double score) {
        if (action != null && !action.equals("NONE") && !Boolean.FALSE.equals(detected)) {
            out.add(new Acted(category, action, score));
        }
    }

    private static double confidence(String level) {
        return switch (level == null ? "" : level) {
            case "LOW" -> 0.33;
            case "MEDIUM" -> 0.67;
            case "HIGH" -> 1.0;
            default -> 0.0;
        };
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
