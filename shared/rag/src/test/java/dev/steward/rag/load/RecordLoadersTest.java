package dev.steward.rag.load;

import dev.steward.core.knowledge.RecordMapping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.rag.DocumentRejectedException;
import dev.steward.rag.chunk.Chunk;
import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.chunk.TokenCounter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordLoadersTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final String TICKETS = """
            Ticket ID,Subject,Description,Customer,Priority,Created At,Comments
            T-1,Printer offline,"The printer in room 4 is offline.",Acme Corp,high,2024-03-01,"Agent: restarted spooler
            Customer: works now"
            T-2,Refund request,Order 1042 arrived broken.,Globex,low,2024-03-02,
            T-3,VPN drops,VPN disconnects every 10 minutes.,Initech,medium,2024-03-03,Escalated to network team
            """;

    @Test
    void defaultMappingRecognisesHelpdeskColumnsAndMakesOneSectionPerRecord() {
        ParsedDocument doc = DocumentLoaders.load("tickets.csv", utf8(TICKETS));

        assertThat(doc.title()).isEqualTo("tickets");
        assertThat(doc.warnings()).isEmpty();
        assertThat(doc.sections()).extracting(Section::heading)
                .containsExactly("T-1: Printer offline", "T-2: Refund request", "T-3: VPN drops");
        Section first = doc.sections().getFirst();
        assertThat(first.metadata()).containsEntry("recordId", "T-1").containsEntry("record", "line 2")
                .containsEntry("Customer", "Acme Corp").containsEntry("Priority", "high").containsEntry("Created At", "2024-03-01");
        assertThat(first.text()).contains("Customer: Acme Corp").contains("Description: The printer in room 4 is offline.")
                .contains("Comments: Agent: restarted spooler\nCustomer: works now");
        assertThat(doc.sections().get(1).metadata()).containsEntry("record", "line 4");
        assertThat(doc.sections().get(1).text()).doesNotContain("Comments:");
    }

    @Test
    void explicitMappingChoosesTextMetadataIdAndTitle() {
        RecordMapping mapping = RecordMapping.parse(
                "{\"id\":\"Ticket ID\",\"title\":\"Subject\",\"text\":\"Description\",\"metadata\":[\"Customer\"]}");
        ParsedDocument doc = DocumentLoaders.load("tickets.csv", utf8(TICKETS), LoadOptions.withMapping(mapping));

        Section first = doc.sections().getFirst();
        assertThat(first.text()).isEqualTo("Customer: Acme Corp\n\nThe printer in room 4 is offline.");
        assertThat(first.metadata()).containsOnlyKeys("recordId", "record", "Customer");
    }

    @Test
    void mappingNamingAColumnTheFileLacksRejectsTheDocumentNamingIt() {
        RecordMapping mapping = RecordMapping.parse("{\"text\":[\"Body\",\"Description\"]}");
        assertThatThrownBy(() -> DocumentLoaders.load("tickets.csv", utf8(TICKETS), LoadOptions.withMapping(mapping)))
                .isInstanceOfSatisfying(DocumentRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_mapping");
                    assertThat(e.getMessage()).contains("no field Body").contains("Ticket ID, Subject, Description");
                });
    }

    @Test
    void mappingJsonProblemsAreNamed() {
        assertThatThrownBy(() -> RecordMapping.parse("{not json")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> RecordMapping.parse("[]")).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> RecordMapping.parse("{\"title\":\"Subject\"}")).hasMessageContaining("needs 'text'");
        assertThatThrownBy(() -> RecordMapping.parse("{\"text\":[]}")).hasMessageContaining("at least one field");
        assertThatThrownBy(() -> RecordMapping.parse("{\"text\":\"a\",\"body\":\"b\"}")).hasMessageContaining("unknown key 'body'");
        assertThatThrownBy(() -> RecordMapping.parse("{\"text\":[1]}")).hasMessageContaining("field names (strings)");
        assertThatThrownBy(() -> RecordMapping.parse("{\"text\":\"a\",\"metadata\":[\"a\"]}")).hasMessageContaining("'a' is named twice");
        RecordMapping ok = RecordMapping.parse("{\"id\":\"k\",\"text\":[\"a\",\"b\"],\"metadata\":[]}");
        assertThat(RecordMapping.parse(ok.toJson())).isEqualTo(ok);
    }

    @Test
    void brokenRowsAreSkippedAndNamedWhileTheRestIsIndexed() {
        String csv = """
                id,subject,description,customer
                1,Login fails,Users cannot log in after the update.,Acme
                2,"Unbalanced quote,The quote in this row never closes.,Globex
                3,Slow reports,Reports take two minutes to load.,Initech
                4,Too few fields
                5,Billing error,Invoice 77 was charged twice.,Umbrella
                """;
        ParsedDocument doc = DocumentLoaders.load("export.csv", utf8(csv));

        assertThat(doc.sections()).extracting(s -> s.metadata().get("recordId")).containsExactly("1", "3", "5");
        assertThat(doc.warnings()).first().isEqualTo("2 of 5 records were not indexed");
        assertThat(doc.warnings()).anySatisfy(w -> assertThat(w).startsWith("line 3: "))
                .anySatisfy(w -> assertThat(w).isEqualTo("line 5: 2 fields, expected 4"));
        assertThat(doc.warnings()).hasSize(3);
    }

    @Test
    void unbalancedQuoteOnTheLastRowStillKeepsEveryRowBeforeIt() {
        String csv = "id,description\n1,First row is fine.\n2,Second row is fine.\n3,\"never closed\n";
        ParsedDocument doc = DocumentLoaders.load("tail.csv", utf8(csv));
        assertThat(doc.sections()).hasSize(2);
        assertThat(doc.warnings()).containsExactly("1 of 3 records were not indexed",
                "line 4: unbalanced quote or stray character in a quoted field (EOF reached before encapsulated token finished)");
    }

    @Test
    void semicolonCsvWithNoTextColumnMakesEveryOtherColumnText() {
        String csv = "Account;Contact;Last call\nAcme;Dana;Asked about the enterprise plan.\n";
        ParsedDocument doc = DocumentLoaders.load("crm.csv", utf8(csv));
        assertThat(doc.sections()).singleElement().satisfies(s -> {
            assertThat(s.heading()).isEqualTo("Record");
            assertThat(s.text()).contains("Account: Acme").contains("Last call: Asked about the enterprise plan.");
        });
    }

    @Test
    void everyRowBrokenIsUnreadableAndHeaderOnlyIsEmpty() {
        assertThatThrownBy(() -> DocumentLoaders.load("bad.csv", utf8("a,b,c\n1\n2\n")))
                .isInstanceOfSatisfying(DocumentRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo("unreadable_document");
                    assertThat(e.getMessage()).contains("line 2: 1 fields, expected 3");
                });
        assertThatThrownBy(() -> DocumentLoaders.load("head.csv", utf8("id,description\n")))
                .isInstanceOfSatisfying(DocumentRejectedException.class, e -> assertThat(e.code()).isEqualTo("empty_document"));
    }

    @Test
    void jsonArrayObjectWithRecordsAndNestedFieldsAreRead() {
        String json = """
                {"exportedAt": "2024-03-09", "tickets": [
                  {"id": 17, "subject": "Cannot export", "description": "Export button does nothing.",
                   "requester": {"name": "Dana", "email": "dana@acme.example"},
                   "comments": [{"author": "agent", "body": "Cleared cache"}, {"author": "dana", "body": "Works"}],
                   "tags": ["export", "ui"]},
                  "not an object"
                ]}""";
        ParsedDocument doc = DocumentLoaders.load("zendesk.json", utf8(json));
        assertThat(doc.sections()).singleElement().satisfies(s -> {
            assertThat(s.heading()).isEqualTo("17: Cannot export");
            assertThat(s.metadata()).containsEntry("requester.email", "dana@acme.example").containsEntry("tags", "export\nui");
            assertThat(s.text()).contains("comments: author: agent; body: Cleared cache\nauthor: dana; body: Works");
        });
        assertThat(doc.warnings()).containsExactly("1 of 2 records were not indexed", "record 2: not a JSON object");
    }

    @Test
    void jsonLinesSkipBadLinesAndInvalidJsonDocumentIsUnreadable() {
        String jsonl = "{\"subject\":\"A\",\"body\":\"First.\"}\n{broken\n\n{\"subject\":\"B\",\"body\":\"Second.\"}\n";
        ParsedDocument doc = DocumentLoaders.load("t.jsonl", utf8(jsonl));
        assertThat(doc.sections()).extracting(Section::heading).containsExactly("A", "B");
        assertThat(doc.warnings()).hasSize(2).last().asString().startsWith("line 2: not valid JSON");

        assertThatThrownBy(() -> DocumentLoaders.load("t.json", utf8("{\"a\": [1, 2")))
                .isInstanceOfSatisfying(DocumentRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo("unreadable_document");
                    assertThat(e.getMessage()).contains("t.json").contains("not valid JSON");
                });
    }

    @Test
    void recordMetadataReachesEveryChunkAndRecordsAreNeverMerged() {
        ParsedDocument doc = DocumentLoaders.load("tickets.csv", utf8(TICKETS));
        List<Chunk> chunks = new Chunker(TokenCounter.approximate()).chunk(new DocumentId("doc_tickets0001"), doc);
        assertThat(chunks).hasSize(3);
        assertThat(chunks).extracting(c -> c.metadata().get("Customer")).containsExactly("Acme Corp", "Globex", "Initech");
        assertThat(chunks).allSatisfy(c -> assertThat(c.metadata()).containsEntry(Metadata.SOURCE, "tickets.csv"));
    }
}
