package dev.steward.guardrails.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.error.PermanentException;
import dev.steward.core.error.TransientException;
import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.guardrails.Finding;
import dev.steward.guardrails.Guardrail;
import dev.steward.guardrails.GuardrailInput;
import dev.steward.guardrails.Stage;
import dev.steward.guardrails.Verdict;
import dev.steward.guardrails.pii.PiiGuardrail;
import dev.steward.guardrails.pii.PiiVault;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockApplyGuardrailTest {
    private static final TenantId TENANT = TenantId.of("acme");
    private static final RunId RUN = RunId.random();
    private static final String PATH = "/guardrail/gr7h2k9x1abc/version/3/apply";

    private static final String NONE = """
            {"usage":{"topicPolicyUnits":1,"contentPolicyUnits":1,"wordPolicyUnits":1,"sensitiveInformationPolicyUnits":1,
             "sensitiveInformationPolicyFreeUnits":0,"contextualGroundingPolicyUnits":0},
             "action":"NONE","outputs":[],"assessments":[{}]}""";

    private static final String BLOCKED = """
            {"usage":{"topicPolicyUnits":1,"contentPolicyUnits":1,"wordPolicyUnits":1,"sensitiveInformationPolicyUnits":1,
             "sensitiveInformationPolicyFreeUnits":0,"contextualGroundingPolicyUnits":0},
             "action":"GUARDRAIL_INTERVENED","actionReason":"Guardrail blocked.",
             "outputs":[{"text":"Sorry, I can't help with investment advice."}],
             "assessments":[{
               "topicPolicy":{"topics":[{"name":"Investment advice","type":"DENY","action":"BLOCKED","detected":true}]},
               "contentPolicy":{"filters":[{"type":"INSULTS","confidence":"MEDIUM","filterStrength":"HIGH","action":"BLOCKED","detected":true},
                                           {"type":"VIOLENCE","confidence":"NONE","filterStrength":"HIGH","action":"NONE","detected":false}]},
               "wordPolicy":{"customWords":[{"match":"stonks","action":"BLOCKED","detected":true}],
                             "managedWordLists":[{"match":"damn","type":"PROFANITY","action":"BLOCKED","detected":true}]},
               "contextualGroundingPolicy":{"filters":[{"type":"GROUNDING","threshold":0.75,"score":0.38,"action":"BLOCKED","detected":true}]}
             }]}""";

    private static final String MASKED = """
            {"usage":{"topicPolicyUnits":1,"contentPolicyUnits":1,"wordPolicyUnits":1,"sensitiveInformationPolicyUnits":1,
             "sensitiveInformationPolicyFreeUnits":0,"contextualGroundingPolicyUnits":0},
             "action":"GUARDRAIL_INTERVENED",
             "outputs":[{"text":"Send it to {EMAIL}, ref {ORDER_ID}."}],
             "assessments":[{"sensitiveInformationPolicy":{
               "piiEntities":[{"match":"jane@example.com","type":"EMAIL","action":"ANONYMIZED","detected":true}],
               "regexes":[{"name":"ORDER_ID","match":"ORD-12345","regex":"ORD-\\\\d{5}","action":"ANONYMIZED","detected":true}]}}]}""";

    private static FakeAwsServer.Reply json(String body) {
        return FakeAwsServer.Reply.json("application/json", body);
    }

    private static Verdict check(Guardrail g, Stage stage, String text) {
        return g.check(new GuardrailInput(TENANT, RUN, stage, text));
    }

    @Test
    void sendsTheApplyGuardrailShapeWithTheSourceOfEachStage() {
        try (var server = new FakeAwsServer(r -> json(NONE)); var providers = Clients.bedrock(server)) {
            Guardrail g = providers.detectors().getFirst();
            for (Stage stage : Stage.values()) {
                assertThat(check(g, stage, "What is our refund policy?")).isInstanceOf(Verdict.Allow.class);
            }
            assertThat(server.requests()).hasSize(5);
            assertThat(server.requests()).allSatisfy(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo(PATH);
                assertThat(r.header("Authorization")).contains("/us-east-1/bedrock/aws4_request");
                assertThat(r.body().get("content").get(0).get("text").get("text").asText()).isEqualTo("What is our refund policy?");
                assertThat(r.body().get("content").size()).isEqualTo(1);
            });
            assertThat(server.requests()).extracting(r -> r.body().get("source").asText())
                    .containsExactly("INPUT", "INPUT", "OUTPUT", "INPUT", "OUTPUT");
        }
    }

    @Test
    void blockedIsDeniedAtUserInputAndAnswerAndAskedElsewhere() {
        try (var server = new FakeAwsServer(r -> json(BLOCKED)); var providers = Clients.bedrock(server)) {
            Guardrail g = providers.detectors().getFirst();
            assertThat(check(g, Stage.USER_INPUT, "Which stonks should I buy?")).isInstanceOf(Verdict.Deny.class);
            assertThat(check(g, Stage.ANSWER, "Buy stonks.")).isInstanceOf(Verdict.Deny.class);
            assertThat(check(g, Stage.RETRIEVED_CHUNK, "x")).isInstanceOf(Verdict.Ask.class);
            assertThat(check(g, Stage.TOOL_RESULT, "x")).isInstanceOf(Verdict.Ask.class);
            assertThat(check(g, Stage.TOOL_ARGUMENTS, "x")).isInstanceOf(Verdict.Ask.class);

            Verdict.Deny deny = (Verdict.Deny) check(g, Stage.USER_INPUT, "Which stonks should I buy?");
            assertThat(deny.findings()).extracting(Finding::category).containsExactly(
                    "TOPIC:Investment advice", "CONTENT:INSULTS", "WORD:CUSTOM", "WORD:PROFANITY", "GROUNDING:GROUNDING");
            assertThat(deny.findings()).extracting(Finding::score).containsExactly(1.0, 0.67, 1.0, 1.0, 0.38);
            assertThat(deny.findings()).allSatisfy(f -> assertThat(f.detail()).doesNotContain("stonks", "damn"));
            assertThat(deny.reason()).contains("TOPIC:Investment advice");
        }
    }

    @Test
    void maskOnlyInterventionsRedactWithBedrocksOutput() {
        try (var server = new FakeAwsServer(r -> json(MASKED)); var providers = Clients.bedrock(server)) {
            Guardrail g = providers.detectors().getFirst();
            for (Stage stage : Stage.values()) {
                Verdict v = check(g, stage, "Send it to jane@example.com, ref ORD-12345.");
                assertThat(v).isInstanceOf(Verdict.Redact.class);
                assertThat(((Verdict.Redact) v).text()).isEqualTo("Send it to {EMAIL}, ref {ORDER_ID}.");
                assertThat(v.findings()).extracting(Finding::category).containsExactly("PII:EMAIL", "REGEX:ORDER_ID");
                assertThat(v.findings()).allSatisfy(f -> assertThat(f.detail()).doesNotContain("jane", "12345"));
            }
            assertThat(providers.pii(new PiiVault(TENANT, RUN))).isInstanceOf(PiiGuardrail.class);
        }
    }

    @Test
    void throttlingIsTransient() {
        try (var server = new FakeAwsServer(r -> new FakeAwsServer.Reply(429,
                Map.of("Content-Type", "application/json", "x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"),
                "{\"message\":\"Too many requests, please wait before trying again.\"}"));
                var providers = Clients.bedrock(server)) {
            assertThatThrownBy(() -> check(providers.detectors().getFirst(), Stage.USER_INPUT, "hi"))
                    .isInstanceOf(TransientException.class).hasMessageContaining("ThrottlingException");
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void validationIsPermanent() {
        try (var server = new FakeAwsServer(r -> new FakeAwsServer.Reply(400,
                Map.of("Content-Type", "application/json", "x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"),
                "{\"message\":\"The guardrail identifier or version provided in the request does not exist.\"}"));
                var providers = Clients.bedrock(server)) {
            assertThatThrownBy(() -> check(providers.detectors().getFirst(), Stage.USER_INPUT, "hi"))
                    .isInstanceOf(PermanentException.class).isNotInstanceOf(TransientException.class)
                    .hasMessageContaining("ValidationException").hasMessageContaining("does not exist");
        }
    }

    @Test
    void serviceUnavailableIsTransient() {
        try (var server = new FakeAwsServer(r -> new FakeAwsServer.Reply(503,
                Map.of("Content-Type", "application/json", "x-amzn-ErrorType", "ServiceUnavailableException"),
                "{\"message\":\"Service unavailable\"}"));
                var providers = Clients.bedrock(server)) {
            assertThatThrownBy(() -> check(providers.detectors().getFirst(), Stage.ANSWER, "hi"))
                    .isInstanceOf(TransientException.class);
        }
    }
}
