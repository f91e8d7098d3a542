package dev.steward.guardrails.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.steward.guardrails.pii.PiiRedactor;
import dev.steward.guardrails.pii.PiiScanner;
import dev.steward.guardrails.pii.PiiType;
import dev.steward.guardrails.pii.PiiVault;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ComprehendPiiGuardrailTest {
    private static final TenantId TENANT = TenantId.of("acme");
    private static final RunId RUN = RunId.random();
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.]+@[a-z]+\\.[a-z]+");

    /**
     * Plays DetectPiiEntities as Comprehend answers it (shape of the API reference example): emails at 0.99,
     * "Jane Doe" as NAME at 0.9999, "Zhang Wei" as NAME at 0.31, "July 31st" as DATE_TIME; offsets in code points.
     */
    private static FakeAwsServer.Reply comprehend(FakeAwsServer.Request request) {
        String text = request.body().get("Text").asText();
        ObjectNode body = FakeAwsServer.JSON.createObjectNode();
        ArrayNode entities = body.putArray("Entities");
        Matcher m = EMAIL.matcher(text);
        while (m.find()) {
            add(entities, text, "EMAIL", 0.99, m.start(), m.end());
        }
        for (var fixed : Map.of("Jane Doe", "NAME:0.9999", "Zhang Wei", "NAME:0.31", "July 31st", "DATE_TIME:0.9").entrySet()) {
            for (int at = text.indexOf(fixed.getKey()); at >= 0; at = text.indexOf(fixed.getKey(), at + 1)) {
                String[] typeScore = fixed.getValue().split(":");
                add(entities, text, typeScore[0], Double.parseDouble(typeScore[1]), at, at + fixed.getKey().length());
            }
        }
        return FakeAwsServer.Reply.json(JSON_11, body.toString());
    }

    private static void add(ArrayNode entities, String text, String type, double score, int start, int end) {
        entities.addObject().put("Score", score).put("Type", type)
                .put("BeginOffset", text.codePointCount(0, start)).put("EndOffset", text.codePointCount(0, end));
    }

    private static GuardrailInput input(Stage stage, String text) {
        return new GuardrailInput(TENANT, RUN, stage, text);
    }

    @Test
    void sendsTheDetectPiiEntitiesShapeAndRedactsWithTheLocalVaultsPlaceholders() {
        PiiVault vault = new PiiVault(TENANT, RUN);
        Verdict local = new PiiGuardrail(new PiiRedactor(PiiScanner.all()), vault)
                .check(input(Stage.USER_INPUT, "Write to jane.doe@example.com please."));
        assertThat(((Verdict.Redact) local).text()).isEqualTo("Write to <EMAIL_1> please.");

        try (var server = new FakeAwsServer(ComprehendPiiGuardrailTest::comprehend);
                var providers = Clients.comprehend(server, Map.of())) {
            Guardrail pii = providers.pii(vault);
            Verdict v = pii.check(input(Stage.TOOL_RESULT,
                    "Hello Jane Doe, Zhang Wei wrote from JANE.DOE@example.com and bob@corp.io by July 31st."));

            assertThat(v).isInstanceOf(Verdict.Redact.class);
            assertThat(((Verdict.Redact) v).text())
                    .isEqualTo("Hello <PERSON_1>, Zhang Wei wrote from <EMAIL_1> and <EMAIL_2> by July 31st.");
            assertThat(v.findings()).extracting(Finding::category).containsExactly("EMAIL", "PERSON");
            assertThat(v.findings()).allSatisfy(f -> assertThat(f.detector()).isEqualTo(ComprehendPiiGuardrail.NAME));
            assertThat(vault.rehydrate(((Verdict.Redact) v).text())).contains("Jane Doe", "jane.doe@example.com", "bob@corp.io");

            FakeAwsServer.Request sent = server.requests().getFirst();
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.path()).isEqualTo("/");
            assertThat(sent.header("X-Amz-Target")).isEqualTo("Comprehend_20171127.DetectPiiEntities");
            assertThat(sent.header("Content-Type")).startsWith(JSON_11);
            assertThat(sent.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
            assertThat(sent.header("Authorization")).contains("/us-east-1/comprehend/aws4_request");
            assertThat(sent.body().get("LanguageCode").asText()).isEqualTo("en");
            assertThat(sent.body().get("Text").asText()).startsWith("Hello Jane Doe");
            assertThat(sent.body().size()).isEqualTo(2);

            Verdict again = pii.check(input(Stage.ANSWER, ((Verdict.Redact) v).text()));
            assertThat(again).isInstanceOf(Verdict.Allow.class);
        }
    }

    @Test
    void minimumScoreIsConfigurable() {
        try (var server = new FakeAwsServer(ComprehendPiiGuardrailTest::comprehend);
                var providers = Clients.comprehend(server, Map.of(GuardrailProviders.PII_MIN_SCORE, "0.3"))) {
            Verdict v = providers.pii(new PiiVault(TENANT, RUN)).check(input(Stage.USER_INPUT, "Zhang Wei called."));
            assertThat(((Verdict.Redact) v).text()).isEqualTo("<PERSON_1> called.");
            assertThat(v.findings().getFirst().score()).isCloseTo(0.31, within(1e-6));
        }
    }

    @Test
    void codePointOffsetsAreConvertedToJavaIndices() {
        try (var server = new FakeAwsServer(ComprehendPiiGuardrailTest::comprehend);
                var providers = Clients.comprehend(server, Map.of())) {
            String text = "\uD83D\uDE00\uD83D\uDE00 héllo 𝔘 Jane Doe <ana@mail.io>";
            Verdict v = providers.pii(new PiiVault(TENANT, RUN)).check(input(Stage.USER_INPUT, text));
            assertThat(((Verdict.Redact) v).text()).isEqualTo("\uD83D\uDE00\uD83D\uDE00 héllo 𝔘 <PERSON_1> <<EMAIL_1>>");
            assertThat(v.findings().get(1).spans().getFirst().start()).isEqualTo(text.indexOf("Jane"));
        }
    }

    @Test
    void textsOverTheRequestLimitAreSplitAndOffsetsMergedBack() {
        StringBuilder text = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; text.length() < 260_000; i++) {
            String filler = "Ligne née " + i + " à Zürich, rien à signaler. ";
            String line = filler + "Write to user" + (char) ('a' + i % 26) + i % 7 + "@example.com today.\n";
            text.append(line);
            expected.append(line);
        }
        try (var server = new FakeAwsServer(ComprehendPiiGuardrailTest::comprehend);
                var providers = Clients.comprehend(server, Map.of())) {
            PiiVault vault = new PiiVault(TENANT, RUN);
            Verdict v = providers.pii(vault).check(input(Stage.RETRIEVED_CHUNK, text.toString()));

            assertThat(server.requests()).hasSizeGreaterThanOrEqualTo(3);
            StringBuilder sentAgain = new StringBuilder();
            for (var request : server.requests()) {
                String piece = request.body().get("Text").asText();
                assertThat(piece.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(100_000);
                sentAgain.append(piece);
            }
            assertThat(sentAgain.toString()).isEqualTo(text.toString());

            String redacted = ((Verdict.Redact) v).text();
            Matcher m = EMAIL.matcher(expected);
            StringBuilder want = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(want, Matcher.quoteReplacement(vault.placeholderFor(PiiType.EMAIL, m.group())));
            }
            m.appendTail(want);
            assertThat(redacted).isEqualTo(want.toString());
            assertThat(vault.size()).isEqualTo(182);
            assertThat(v.findings().getFirst().spans()).allSatisfy(s ->
                    assertThat(text.substring(s.start(), s.end())).matches(EMAIL));
        }
    }

    @Test
    void throttlingIsTransientAndNotRetriedByTheSdk() {
        try (var server = new FakeAwsServer(r -> new FakeAwsServer.Reply(400, Map.of("Content-Type", JSON_11),
                "{\"__type\":\"TooManyRequestsException\",\"Message\":\"Rate exceeded\"}"));
                var providers = Clients.comprehend(server, Map.of())) {
            assertThatThrownBy(() -> providers.pii(new PiiVault(TENANT, RUN)).check(input(Stage.USER_INPUT, "hi")))
                    .isInstanceOf(TransientException.class)
                    .hasMessageContaining("TooManyRequestsException").hasMessageContaining("Rate exceeded");
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void serverErrorsAreTransient() {
        try (var server = new FakeAwsServer(r -> new FakeAwsServer.Reply(500, Map.of("Content-Type", JSON_11),
                "{\"__type\":\"InternalServerException\",\"Message\":\"Internal server error\"}"));
                var providers = Clients.comprehend(server, Map.of())) {
            assertThatThrownBy(() -> providers.pii(new PiiVault(TENANT, RUN)).check(input(Stage.USER_INPUT, "hi")))
                    .isInstanceOf(TransientException.class).hasMessageContaining("HTTP 500");
        }
    }

    @Test
    void validationErrorsArePermanent() {
        try (var server = new FakeAwsServer(r -> new FakeAwsServer.Reply(400, Map.of("Content-Type", JSON_11),
                "{\"__type\":\"UnsupportedLanguageException\",\"Message\":\"Language xx is not supported\"}"));
                var providers = Clients.comprehend(server, Map.of(GuardrailProviders.LANGUAGE, "xx"))) {
            assertThatThrownBy(() -> providers.pii(new PiiVault(TENANT, RUN)).check(input(Stage.USER_INPUT, "hi")))
                    .isInstanceOf(PermanentException.class)
                    .isNotInstanceOf(TransientException.class)
                    .hasMessageContaining("UnsupportedLanguageException").hasMessageContaining("HTTP 400");
            assertThat(server.requests().getFirst().body().get("LanguageCode").asText()).isEqualTo("xx");
        }
    }

    @Test
    void anotherRunsInputIsRefused() {
        try (var server = new FakeAwsServer(ComprehendPiiGuardrailTest::comprehend);
                var providers = Clients.comprehend(server, Map.of())) {
            Guardrail pii = providers.pii(new PiiVault(TENANT, RUN));
            assertThatThrownBy(() -> pii.check(new GuardrailInput(TenantId.of("other"), RUN, Stage.USER_INPUT, "x")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(server.requests()).isEmpty();
        }
    }
}
