package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.error.PermanentException;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.run.RunId;
import dev.steward.core.run.RunPointer;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.llm.ChatModel;
import dev.steward.llm.ModelReply;
import dev.steward.llm.ModelRequest;
import dev.steward.rag.IngestResult;
import dev.steward.rag.KnowledgeBase;
import dev.steward.store.StewardTable;
import dev.steward.store.Stores;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The loop's steps over a real store (DynamoDB Local) with a fixed knowledge base and scripted models. */
class AgentStepsTest {
    static AmazonDynamoDBLocal dynamo;
    static Stores stores;
    static final TenantId TENANT = TenantId.of("acme");
    static final JsonNode SCHEMA = Json.tree("""
            {"type":"object","required":["answer","citations","model"],
             "properties":{"answer":{"type":"string","minLength":1},"model":{"type":"string"},
               "citations":{"type":"array","items":{"type":"object","required":["documentId","chunkId","quote"]}}}}""");
    static final List<RetrievedChunk> CHUNKS = List.of(
            new RetrievedChunk("doc_aaaaaaaa", "doc_aaaaaaaa#0", "Refunds", "", "Refunds are paid within 5 business days of approval.", 0.9),
            new RetrievedChunk("doc_bbbbbbbb", "doc_bbbbbbbb#0", "Shipping", "", "Orders ship within two days from our warehouse.", 0.5));

    @BeforeAll
    static void start() {
        dynamo = DynamoDBEmbedded.create(false);
        StewardTable table = new StewardTable(dynamo.dynamoDbClient(), "steps-test");
        table.createIfMissing();
        stores = Stores.over(table);
        stores.agents().put(TENANT, new AgentTemplate("assistant", "", "Answer from the sources.", 5, 8, SCHEMA));
        stores.agents().put(TENANT, new AgentTemplate("one-step", "", "Answer from the sources.", 5, 1, SCHEMA));
    }

    @AfterAll
    static void stop() {
        dynamo.shutdown();
    }

    /** Replies with the scripted texts in order, and records the prompts it was given. */
    static final class ScriptedModel implements ChatModel {
        final Deque<String> replies;
        final List<ModelRequest> seen = new ArrayList<>();

        ScriptedModel(String... replies) {
            this.replies = new ArrayDeque<>(List.of(replies));
        }

        @Override
        public ModelReply chat(ModelRequest request) {
            seen.add(request);
            return new ModelReply(replies.isEmpty() ? "no more replies" : replies.pop(), "scripted", 10, 5);
        }

        @Override
        public String id() {
            return "scripted";
        }
    }

    static AgentSteps steps(Optional<ChatModel> model) {
        KnowledgeBase kb = new KnowledgeBase() {
            @Override
            public IngestResult ingest(TenantId tenant, DocumentId document, String fileName, byte[] content) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void delete(TenantId tenant, DocumentId document) {}

            @Override
            public List<RetrievedChunk> retrieve(TenantId tenant, String query, int topK) {
                return tenant.equals(TENANT) ? CHUNKS : List.of();
            }

            @Override
            public void close() {}
        };
        return new AgentSteps(stores.runs(), stores.agents(), () -> kb, model, Clock.systemUTC());
    }

    static RunPointer newRun(String agent, String question) {
        RunRecord run = RunRecord.queued(TENANT, RunId.random(), agent, question, Clock.systemUTC().instant());
        stores.runs().create(run);
        return new RunPointer(TENANT.value(), run.id().value(), 0, 0, null);
    }

    /** Drives the loop the way the state machine's Choice does. */
    static RunRecord runToEnd(AgentSteps steps, RunPointer at) {
        for (int i = 0; i < 50; i++) {
            at = steps.plan(at);
            switch (at.outcome()) {
                case "RETRIEVE" -> at = steps.retrieve(at);
                case "ACT" -> at = steps.act(at);
                case "RESPOND", "HALT" -> {
                    steps.verify(steps.respond(at));
                    return stores.runs().get(TENANT, new RunId(at.runId()));
                }
                default -> throw new AssertionError("unexpected outcome " + at.outcome());
            }
        }
        throw new AssertionError("the loop did not end");
    }

    @Test
    void withoutAModelTheRunRetrievesThenAnswersExtractivelyWithValidCitations() {
        RunRecord run = runToEnd(steps(Optional.empty()), newRun("assistant", "How fast are refunds paid?"));

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.answer().path("model").asText()).isEqualTo("offline-extractive");
        assertThat(run.answer().path("citations").get(0).path("chunkId").asText()).isEqualTo("doc_aaaaaaaa#0");
        assertThat(run.steps()).extracting(s -> s.step()).containsExactly("plan", "retrieve", "plan", "respond", "verify");
    }

    @Test
    void citationsOfChunksThatWereNotRetrievedAreRemoved() {
        ScriptedModel model = new ScriptedModel("""
                {"answer":"Refunds take 5 business days; also a secret.","citations":[
                  {"chunkId":"doc_aaaaaaaa#0","quote":"Refunds are paid within 5 business days"},
                  {"chunkId":"doc_zzzzzzzz#3","quote":"a chunk nobody retrieved"},
                  {"chunkId":"doc_bbbbbbbb#0","quote":"words that are not in the chunk"}]}""");

        RunRecord run = runToEnd(steps(Optional.of(model)), newRun("assistant", "How fast are refunds paid?"));

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.answer().path("citations")).hasSize(1);
        assertThat(run.answer().path("citations").get(0).path("documentId").asText()).isEqualTo("doc_aaaaaaaa");
        assertThat(run.steps().getLast().outcome()).isEqualTo("CITATIONS_REMOVED");
        assertThat(model.seen.getFirst().user()).contains("[doc_aaaaaaaa#0]").contains("How fast are refunds paid?");
    }

    @Test
    void anAnswerWhoseCitationsAllFailAbstains() {
        ScriptedModel model = new ScriptedModel("""
                {"answer":"Refunds are instant.","citations":[{"chunkId":"doc_zzzzzzzz#0","quote":"instant refunds"}]}""");

        RunRecord run = runToEnd(steps(Optional.of(model)), newRun("assistant", "How fast are refunds paid?"));

        assertThat(run.answer().path("answer").asText()).isEqualTo("Not found in the knowledge base.");
        assertThat(run.answer().path("citations")).isEmpty();
    }

    @Test
    void anInvalidReplyIsReaskedWithTheReasonThenAccepted() {
        ScriptedModel model = new ScriptedModel("Sure! Refunds take five days.",
                """
                {"answer":"Five business days.","citations":[{"chunkId":"doc_aaaaaaaa#0","quote":"within 5 business days"}]}""");

        RunRecord run = runToEnd(steps(Optional.of(model)), newRun("assistant", "How fast are refunds paid?"));

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.answer().path("model").asText()).isEqualTo("scripted");
        assertThat(model.seen).hasSize(2);
        assertThat(model.seen.get(1).user()).contains("previous reply was invalid");
    }

    @Test
    void aModelThatNeverAnswersValidlyFailsTheStep() {
        ScriptedModel model = new ScriptedModel("nope", "still no", "never");
        AgentSteps steps = steps(Optional.of(model));
        RunPointer at = steps.retrieve(steps.plan(newRun("assistant", "How fast are refunds paid?")));

        assertThatThrownBy(() -> steps.respond(steps.plan(at)))
                .isInstanceOf(PermanentException.class).hasMessageContaining("no valid answer after 3 attempts");
    }

    @Test
    void theStepLimitHaltsTheRunWithAnHonestAnswer() {
        RunRecord run = runToEnd(steps(Optional.empty()), newRun("one-step", "How fast are refunds paid?"));

        assertThat(run.status()).isEqualTo(RunStatus.HALTED);
        assertThat(run.answer().path("answer").asText()).contains("limit of 1 steps");
    }

    @Test
    void aFailureIsRecordedWithTheErrorMessageFromTheLambdaCause() {
        AgentSteps steps = steps(Optional.empty());
        RunPointer at = newRun("assistant", "anything");

        steps.fail(at, "dev.steward.core.error.PermanentException",
                "{\"errorMessage\":\"model refused the request\",\"errorType\":\"dev.steward.core.error.PermanentException\"}");

        RunRecord run = stores.runs().get(TENANT, new RunId(at.runId()));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).isEqualTo("model refused the request");
    }
}
