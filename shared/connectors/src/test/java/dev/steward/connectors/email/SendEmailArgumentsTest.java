package dev.steward.connectors.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.connectors.ArgumentValidator;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.ToolSpec;
import dev.steward.core.json.Json;
import dev.steward.store.StewardTable;
import dev.steward.store.idempotency.IdempotencyStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The send_email schema and strict address parsing, without any server. */
class SendEmailArgumentsTest {
    // Never contacted: every case here is refused before the idempotency store is touched.
    static final IdempotencyStore UNREACHABLE = new IdempotencyStore(new StewardTable(DynamoDbClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:9")).region(Region.US_EAST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create()).build(), "none"));
    static final EmailConfig CONFIG = new EmailConfig("127.0.0.1", 2525, "127.0.0.1", 1143, "agent", "pw",
            "agent@example.test", false, Duration.ofSeconds(1));
    static final ToolSpec SPEC = new SendEmailTool(CONFIG, UNREACHABLE, Clock.systemUTC()).spec();
    static final ArgumentValidator VALIDATOR = new ArgumentValidator(SPEC.argumentsSchema());

    @Test
    void describesAnExternalWrite() {
        assertThat(SPEC.name()).isEqualTo("send_email");
        assertThat(SPEC.sideEffect()).isEqualTo(SideEffect.EXTERNAL_WRITE);
        assertThat(SPEC.argumentsSchema().get("required")).extracting(n -> n.asText()).containsExactly("to", "subject", "body");
    }

    @Test
    void acceptsWellFormedArguments() {
        assertThat(VALIDATOR.violations(Json.tree(
                "{\"to\":[\"a@example.test\"],\"cc\":[\"b@example.test\"],\"subject\":\"s\",\"body\":\"b\"}"))).isEmpty();
        EmailRequest request = EmailRequest.parse(Json.tree(
                "{\"to\":[\"a@example.test\"],\"cc\":[\"b@example.test\"],\"subject\":\"s\",\"body\":\"b\"}"));
        assertThat(request.recipients()).containsExactly("a@example.test", "b@example.test");
    }

    @Test
    void theSchemaRefusesWhatAModelGetsWrong() {
        assertThat(VALIDATOR.violations(Json.tree("{\"to\":[\"a@example.test\"],\"body\":\"b\"}")))
                .anyMatch(v -> v.contains("subject"));
        assertThat(VALIDATOR.violations(Json.tree("{\"to\":\"a@example.test\",\"subject\":\"s\",\"body\":\"b\"}")))
                .anyMatch(v -> v.contains("array"));
        assertThat(VALIDATOR.violations(Json.tree("{\"to\":[\"nope\"],\"subject\":\"s\",\"body\":\"b\"}")))
                .anyMatch(v -> v.startsWith("/to/0"));
        assertThat(VALIDATOR.violations(Json.tree("{\"to\":[\"a@example.test\"],\"subject\":\"\",\"body\":\"b\"}"))).isNotEmpty();
        assertThat(VALIDATOR.violations(Json.tree("{\"to\":[\"a@example.test\",\"a@example.test\"],\"subject\":\"s\",\"body\":\"b\"}"))).isNotEmpty();
        assertThat(VALIDATOR.violations(Json.tree("null"))).isNotEmpty();
        assertThat(VALIDATOR.violations(null)).isNotEmpty();
    }

    @Test
    void theParserRefusesAddressesTheSchemaCannotJudge() {
        for (String bad : new String[] {"Ana <a@example.test>", "a@example.test, b@example.test", "group: a@example.test;"}) {
            assertThatThrownBy(() -> EmailRequest.parse(Json.tree(
                    "{\"to\":[" + Json.write(bad) + "],\"subject\":\"s\",\"body\":\"b\"}")))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("to:");
        }
        assertThatThrownBy(() -> EmailRequest.parse(Json.tree(
                "{\"to\":[\"a@example.test\"],\"subject\":\"s\\nBcc: x@example.test\",\"body\":\"b\"}")))
                .hasMessageContaining("single line");
    }
}
