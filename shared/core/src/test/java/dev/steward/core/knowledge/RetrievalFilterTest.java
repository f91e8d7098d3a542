package dev.steward.core.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.RetrievalFilter.AnyOf;
import dev.steward.core.knowledge.RetrievalFilter.TimeRange;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The filter's JSON form and its validation: every problem names the field. */
class RetrievalFilterTest {

    private static RetrievalFilter parse(String json) {
        return RetrievalFilter.fromJson(Json.tree(json));
    }

    @Test
    void readsValuesListsAndRangesAndWritesThemBack() {
        RetrievalFilter f = parse("""
                {"customer": "Acme", "status": ["open", " pending ", "open"], "priority": 2,
                 "created": {"from": "2024-01-01", "to": "2024-03-31"}, "modified": {"from": "2024-02-01T08:00:00+01:00"}}""");
        assertThat(f.clauses()).containsExactly(
                new AnyOf("customer", List.of("Acme")),
                new AnyOf("status", List.of("open", "pending")),
                new AnyOf("priority", List.of("2")),
                new TimeRange("created", Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-03-31T23:59:59.999999999Z")),
                new TimeRange("modified", Instant.parse("2024-02-01T07:00:00Z"), null));
        assertThat(RetrievalFilter.fromJson(f.toJson())).isEqualTo(f);
        assertThat(Json.read(Json.write(f), RetrievalFilter.class)).isEqualTo(f);
    }

    @Test
    void noFilterIsNoneAndAConjunctionNamingAFieldTwiceRoundTripsAsAList() {
        assertThat(RetrievalFilter.fromJson(null)).isSameAs(RetrievalFilter.NONE);
        assertThat(parse("null")).isEqualTo(RetrievalFilter.NONE);
        assertThat(parse("{}").isEmpty()).isTrue();
        RetrievalFilter pinned = RetrievalFilter.anyOf("customer", "Acme");
        assertThat(pinned.and(RetrievalFilter.NONE)).isSameAs(pinned);
        RetrievalFilter both = pinned.and(RetrievalFilter.anyOf("customer", "Globex"));
        assertThat(both.clauses()).hasSize(2);
        assertThat(both.toJson().isArray()).isTrue();
        assertThat(RetrievalFilter.fromJson(both.toJson())).isEqualTo(both);
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndTheProblem() {
        assertThatThrownBy(() -> parse("\"customer=Acme\"")).hasMessageContaining("must be an object");
        assertThatThrownBy(() -> parse("{\"customer\": []}")).hasMessageContaining("'customer' needs at least one value");
        assertThatThrownBy(() -> parse("{\"customer\": [\"  \"]}")).hasMessageContaining("'customer' has a blank value");
        assertThatThrownBy(() -> parse("{\"customer\": [{\"a\": 1}]}")).hasMessageContaining("'customer' must list plain values");
        assertThatThrownBy(() -> parse("{\"customer\": null}")).hasMessageContaining("'customer' must be a value");
        assertThatThrownBy(() -> parse("{\"\": \"x\"}")).hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> parse("{\"created\": {}}")).hasMessageContaining("'created' needs 'from', 'to' or both");
        assertThatThrownBy(() -> parse("{\"created\": {\"after\": \"2024-01-01\"}}")).hasMessageContaining("'created' has an unknown key 'after'");
        assertThatThrownBy(() -> parse("{\"created\": {\"from\": \"last week\"}}"))
                .hasMessageContaining("'created' has 'from' \"last week\", which is not an ISO-8601 date");
        assertThatThrownBy(() -> parse("{\"created\": {\"from\": 20240101}}")).hasMessageContaining("'created' has 'from' 20240101");
        assertThatThrownBy(() -> parse("{\"created\": {\"from\": \"2024-05-01\", \"to\": \"2024-04-01\"}}"))
                .hasMessageContaining("'created' has 'to'").hasMessageContaining("before 'from'");
        assertThatThrownBy(() -> parse("{\"notes\": \"" + "x".repeat(RetrievalFilter.MAX_VALUE_CHARS + 1) + "\"}"))
                .hasMessageContaining("'notes' has a value of 257 characters");
        assertThatThrownBy(() -> parse("{\"a\\u0001b\": \"x\"}")).hasMessageContaining("control character");
        assertThatThrownBy(() -> parse("[\"x\"]")).hasMessageContaining("a filter list must hold filter objects");
    }

    @Test
    void timesAreReadInTheFormsExportsUse() {
        assertThat(RetrievalFilter.parseTime("2024-03-01")).contains(Instant.parse("2024-03-01T00:00:00Z"));
        assertThat(RetrievalFilter.parseTime("2024-03-01 09:30")).contains(Instant.parse("2024-03-01T09:30:00Z"));
        assertThat(RetrievalFilter.parseTime("2024-03-01T09:30:00.250Z")).contains(Instant.parse("2024-03-01T09:30:00.250Z"));
        assertThat(RetrievalFilter.parseTime("2024-03-01T09:30:00-05:00")).contains(Instant.parse("2024-03-01T14:30:00Z"));
        assertThat(RetrievalFilter.parseUpperBound("2024-03-01")).contains(Instant.parse("2024-03-01T23:59:59.999999999Z"));
        for (String notATime : new String[] {"Acme", "2024", "03/01/2024", "2024-13-01", "C-2024-03-01", ""}) {
            assertThat(RetrievalFilter.parseTime(notATime)).as(notATime).isEmpty();
        }
    }

    @Test
    void anAgentTemplatePinsAFilterAndAnInvalidOneFailsTheLoadNamingTheField() {
        String template = """
                {"name": "support-agent", "instructions": "Help.", "topK": 5, "maxSteps": 4, "outputSchema": {},
                 "retrieval": {"filter": %s}}""";
        AgentTemplate agent = Json.read(template.formatted("{\"source\": [\"faq.md\", \"returns.md\"]}"), AgentTemplate.class);
        assertThat(agent.retrieval().filter()).isEqualTo(RetrievalFilter.anyOf("source", "faq.md", "returns.md"));
        assertThat(Json.read(Json.write(agent), AgentTemplate.class)).isEqualTo(agent);
        assertThat(Json.read(template.formatted("null"), AgentTemplate.class).retrieval().filter()).isEqualTo(RetrievalFilter.NONE);
        assertThatThrownBy(() -> Json.read(template.formatted("{\"created\": {\"from\": \"soon\"}}"), AgentTemplate.class))
                .hasStackTraceContaining("filter field 'created' has 'from' \"soon\"");
    }
}
