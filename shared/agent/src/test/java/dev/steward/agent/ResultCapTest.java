package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import org.junit.jupiter.api.Test;

class ResultCapTest {

    @Test
    void aResultThatFitsIsKeptAsItIs() {
        JsonNode small = Json.tree("{\"status\":\"ok\",\"result\":{\"id\":\"A-1\"}}");

        assertThat(ResultCap.cap(small, 1024)).isSameAs(small);
    }

    @Test
    void longTextsAreCutFirstKeepingEveryShortFieldAndSayingHowMuchWasLeftOut() {
        ObjectNode result = Json.object().put("id", "A-1").put("body", "word ".repeat(2_000));

        JsonNode cut = ResultCap.cap(result, 2_000);

        assertThat(ResultCap.bytes(cut)).isLessThanOrEqualTo(2_000);
        assertThat(cut.path("id").asText()).isEqualTo("A-1");
        assertThat(cut.path("body").asText()).startsWith("word word").matches("(?s).*… \\[\\d+ more characters]");
        assertThat(cut.path("truncated").path("originalBytes").asInt()).isEqualTo(ResultCap.bytes(result));
    }

    @Test
    void aResultWithTooManyFieldsToCutIntoShapeKeepsThePrefixOfItsJsonAsAPreview() {
        ObjectNode many = Json.object().put("status", "ok");
        for (int i = 0; i < 3_000; i++) {
            many.put("field" + i, i);
        }

        JsonNode cut = ResultCap.cap(many, 4_096);

        assertThat(ResultCap.bytes(cut)).isLessThanOrEqualTo(4_096);
        assertThat(cut.path("status").asText()).isEqualTo("ok");
        assertThat(cut.path("preview").asText()).startsWith("{\"status\":\"ok\",\"field0\":0");
        assertThat(cut.has("truncated")).isTrue();
    }

    @Test
    void aTextIsNeverCutInsideASurrogatePair() {
        String emoji = "😀".repeat(10);

        assertThat(ResultCap.cut(emoji, 5)).startsWith("😀😀").doesNotContain("\uFFFD").contains("… [16 more characters]");
    }
}
