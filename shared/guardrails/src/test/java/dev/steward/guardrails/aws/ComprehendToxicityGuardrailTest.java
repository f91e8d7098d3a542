package dev.steward.guardrails.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.error.TransientException;
import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.guardrails.Finding;
import dev.steward.guardrails.Guardrail;
import dev.steward.guardrails.GuardrailInput;
import dev.steward.guardrails.Span;
import dev.steward.guardrails.Stage;
import dev.steward.guardrails.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComprehendToxicityGuardrailTest {
    private static final TenantId TENANT = TenantId.of("acme");
    private static final RunId RUN = RunId.random();
    private static final String JSON_11 = "application/x-amz-json-1.1";

    /** Plays DetectToxicContent: a segment containing "idiot" scores 0.86 (INSULT 0.91), others 0.02. */
    private static FakeAwsServer.Reply comprehend(FakeAwsServer.Request request) {
        ObjectNode body = FakeAwsServer.JSON.createObjectNode();
        var results = body.putArray("ResultList");
        for (JsonNode segment : request.body().get("TextSegments")) {
            boolean toxic = segment.get("Text").asText().contains("idiot");
            var result = results.addObject();
            var labels = result.putArray("Labels");
            labels.addObject().put("Name", "PROFANITY").put("Score", toxic ? 0.12 : 0.01);
            labels.addObject().put("Name", "INSULT").put("Score", toxic ? 0.91 : 0.01);
            labels.addObject().put("Name", "HATE_SPEECH").put("Score", 0.01);
            result.put("Toxicity", toxic ? 0.86 : 0.02);
        }
        return FakeAwsServer.Reply.json(JSON_11, body.toString());
    }

    private static Verdict check(Guardrail g, Stage stage, String text) {
        return g.check(new GuardrailInput(TENANT, RUN, stage, text));
    }

    @Test
    void stagesMapLikeTheLocalToxicityGuardrail() {
        try (var server = new FakeAwsServer(ComprehendToxicityGuardrailTest::comprehend);
                var providers = Clients.comprehend(server, Map.of())) {
            Guardrail toxicity = providers.detectors().getFirst();
            assertThat(toxicity).isInstanceOf(ComprehendToxicityGuardrail.class);
            String rude = "You are an idiot.";

            assertThat(check(toxicity, Stage.ANSWER, rude)).isInstanceOf(Verdict.Deny.class);
            assertThat(check(toxicity, Stage.USER_INPUT, rude)).isInstanceOf(Verdict.Ask.class);
            assertThat(check(toxicity, Stage.TOOL_ARGUMENTS, rude)).isInstanceOf(Verdict.Ask.class);
            int sent = server.requests().size();
            assertThat(check(toxicity, Stage.RETRIEVED_CHUNK, rude)).isInstanceOf(Verdict.Allow.class);
            assertThat(check(toxicity, Stage.TOOL_RESULT, rude)).isInstanceOf(Verdict.Allow.class);
            assertThat(server.requests()).hasSize(sent);
            assertThat(check(toxicity, Stage.ANSWER, "Thanks, here is the summary.")).isInstanceOf(Verdict.Allow.class);

            Finding f = check(toxicity, Stage.ANSWER, rude).findings().getFirst();
            assertThat(f.category()).isEqualTo("TOXICITY");
            assertThat(f.score()).isCloseTo(0.86, within(1e-6));
            assertThat(f.detail()).contains("INSULT").doesNotContain("PROFANITY");

            FakeAwsServer.Request request = server.requests().getFirst();
            assertThat(request.header("X-Amz-Target")).isEqualTo("Comprehend_20171127.DetectToxicContent");
            assertThat(request.body().get("LanguageCode").asText()).isEqualTo("en");
            assertThat(request.body().get("TextSegments").get(0).get("Text").asText()).isEqualTo(rude);
        }
    }

    @Test
    void thresholdIsConfigurable() {
        try (var server = new FakeAwsServer(ComprehendToxicityGuardrailTest::comprehend);
                var providers = Clients.comprehend(server, Map.of(GuardrailProviders.TOXICITY_THRESHOLD, "0.9"))) {
            assertThat(check(providers.detectors().getFirst(), Stage.ANSWER, "You are an idiot."))
                    .isInstanceOf(Verdict.Allow.class);
        }
    }

    @Test
    void longTextsGoInSegmentsOfAtMostOneKilobyteTenPerRequest() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            text.append("Sentence ").append(i).append(" is calm and polite, ça va. ");
        }
        int rudeAt = text.length();
        text.append("But you are an idiot. ");
        for (int i = 0; i < 300; i++) {
            text.append("More calm words ").append(i).append(". ");
        }
        try (var server = new FakeAwsServer(ComprehendToxicityGuardrailTest::comprehend);
                var providers = Clients.comprehend(server, Map.of())) {
            Verdict v = check(providers.detectors().getFirst(), Stage.ANSWER, text.toString());

            assertThat(v).isInstanceOf(Verdict.Deny.class);
            assertThat(server.requests()).hasSizeGreaterThan(2);
            StringBuilder sent = new StringBuilder();
            for (var request : server.requests()) {
                JsonNode segments = request.body().get("TextSegments");
                assertThat(segments.size()).isBetween(1, 10);
                for (JsonNode s : segments) {
                    assertThat(s.get("Text").asText().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1_000);
                    sent.append(s.get("Text").asText());
                }
            }
            assertThat(sent.toString()).isEqualTo(text.toString());
            Span span = v.findings().getFirst().spans().getFirst();
            assertThat(v.findings().getFirst().spans()).hasSize(1);
            assertThat(span.start()).isLessThanOrEqualTo(rudeAt);
            assertThat(text.substring(span.start(), span.end())).contains("idiot");
        }
    }

    @Test
    void throttlingIsTransient() {
        try (var server = new FakeAwsServer(r -> new FakeAwsServer.Reply(400, Map.of("Content-Type", JSON_11),
                "{\"__type\":\"ThrottlingException\",\"Message\":\"Rate exceeded\"}"));
                var providers = Clients.comprehend(server, Map.of())) {
            assertThatThrownBy(() -> check(providers.detectors().getFirst(), Stage.ANSWER, "hello"))
                    .isInstanceOf(TransientException.class);
            assertThat(server.requests()).hasSize(1);
        }
    }
}
