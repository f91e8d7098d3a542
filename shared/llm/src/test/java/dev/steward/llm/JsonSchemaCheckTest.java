package dev.steward.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import org.junit.jupiter.api.Test;

class JsonSchemaCheckTest {
    private final JsonNode schema = Json.tree("""
            {"type":"object","required":["answer","citations"],
             "properties":{"answer":{"type":"string","minLength":1},
                           "citations":{"type":"array","items":{"type":"object","required":["chunkId","quote"]}}}}
            """);

    @Test
    void acceptsAValidAnswer() {
        assertThat(JsonSchemaCheck.errors(schema, Json.tree("{\"answer\":\"x\",\"citations\":[{\"chunkId\":\"a\",\"quote\":\"q\"}]}")))
                .isEmpty();
    }

    @Test
    void namesWhatIsMissingOrWrong() {
        assertThat(JsonSchemaCheck.errors(schema, Json.tree("{\"answer\":\"\",\"citations\":[{\"chunkId\":\"a\"}]}")))
                .anySatisfy(e -> assertThat(e).contains("quote"))
                .anySatisfy(e -> assertThat(e).contains("answer"));
    }
}
