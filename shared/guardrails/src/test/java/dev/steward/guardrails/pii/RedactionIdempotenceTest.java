package dev.steward.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded randomized property test: redacting redacted text changes nothing. */
class RedactionIdempotenceTest {
    private static final long SEED = Long.getLong("tests.seed", 20240611L);
    private static final List<String> PII = List.of(
            "jane.doe@example.com", "+1-984-182-0190", "(415) 555-2671", "0490 75 40 81", "460-89-9847",
            "4111 1111 1111 1111", "347415977307943", "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000",
            "192.168.10.254", "2001:db8::8a2e:370:7334", "24 Clarke Avenue", "Parijsstraat 8", "Via Roma 131",
            "PSC 3294, Box 9168\nAPO AA 61487", "Maria Rossi", "Mr. Pálffy", "Ella H. Snider", "Apt. 117", "54005");
    private static final List<String> FILLER = List.of(
            "my name is", "please call", "the", "order 4412", "on 2023-10-15", "and", "or", "Hi", "Dear", "at",
            "address:", "send it to", "I live at", "said", "by", "\n", ",", ".", "!", "?", "<", ">", "_", "1", "22",
            "Street", "Suite", "x", "Avenue", "<EMAIL_3>", "<PERSON_1>", "PHONE_1", "ext.", "+", "00", "-");

    @Test
    void redactionIsIdempotent() {
        Random random = new Random(SEED);
        PiiRedactor redactor = new PiiRedactor(PiiScanner.all());
        for (int i = 0; i < 400; i++) {
            String text = randomText(random);
            PiiVault vault = new PiiVault(TenantId.of("acme"), RunId.random());
            String once = redactor.redact(text, vault).text();
            String twice = redactor.redact(once, vault).text();
            assertThat(twice).as("seed %d, case %d, text [%s]", SEED, i, text).isEqualTo(once);
        }
    }

    @Test
    void structuredValuesNeverSurviveRedaction() {
        Random random = new Random(SEED + 1);
        PiiRedactor redactor = new PiiRedactor(PiiScanner.all());
        List<String> structured = List.of("jane.doe@example.com", "460-89-9847", "4111 1111 1111 1111",
                "GB82 WEST 1234 5698 7654 32", "192.168.10.254", "+1-984-182-0190");
        for (int i = 0; i < 200; i++) {
            String value = structured.get(random.nextInt(structured.size()));
            String text = FILLER.get(random.nextInt(FILLER.size())) + " " + value + " "
                    + FILLER.get(random.nextInt(FILLER.size()));
            String out = redactor.redact(text, new PiiVault(TenantId.of("acme"), RunId.random())).text();
            assertThat(out).as("seed %d, text [%s]", SEED, text).doesNotContain(value);
        }
    }

    private static String randomText(Random random) {
        StringBuilder sb = new StringBuilder();
        int parts = 1 + random.nextInt(12);
        for (int p = 0; p < parts; p++) {
            List<String> source = random.nextInt(3) == 0 ? PII : FILLER;
            sb.append(source.get(random.nextInt(source.size())));
            sb.append(switch (random.nextInt(5)) {
                case 0 -> "";
                case 1 -> "\n";
                case 2 -> ", ";
                default -> " ";
            });
        }
        return sb.toString();
    }
}
