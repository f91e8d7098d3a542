package dev.steward.rag.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.rag.DocumentRejectedException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmailLoaderTest {

    private static byte[] mail(String... lines) {
        return String.join("\r\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    private static String base64(byte[] bytes) {
        return Base64.getMimeEncoder().encodeToString(bytes);
    }

    @Test
    void plainTextIsPreferredOverHtmlAndLoadableAttachmentsBecomeSections() throws Exception {
        byte[] eml = mail(
                "From: Alice Buyer <alice@customer.example>",
                "To: support@acme.example",
                "Cc: Bob <bob@customer.example>",
                "Subject: =?UTF-8?Q?Refund_for_order_1042_=E2=80=93_broken_lamp?=",
                "Date: Tue, 5 Mar 2024 14:02:00 +0100",
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"outer\"",
                "",
                "--outer",
                "Content-Type: multipart/alternative; boundary=\"alt\"",
                "",
                "--alt",
                "Content-Type: text/plain; charset=UTF-8",
                "",
                "The lamp arrived broken. Please refund order 1042.",
                "--alt",
                "Content-Type: text/html; charset=UTF-8",
                "",
                "<p>HTML VERSION SHOULD NOT BE USED</p>",
                "--alt--",
                "--outer",
                "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name=\"policy.docx\"",
                "Content-Disposition: attachment; filename=\"policy.docx\"",
                "Content-Transfer-Encoding: base64",
                "",
                base64(DocxLoaderTest.handbook()),
                "--outer",
                "Content-Type: text/plain; name=\"receipt.txt\"",
                "Content-Disposition: attachment; filename=\"receipt.txt\"",
                "",
                "Receipt: order 1042, lamp, 39.90 EUR.",
                "--outer",
                "Content-Type: application/zip; name=\"photos.zip\"",
                "Content-Disposition: attachment; filename=\"photos.zip\"",
                "Content-Transfer-Encoding: base64",
                "",
                base64(new byte[] {80, 75, 3, 4}),
                "--outer--",
                "");
        ParsedDocument doc = DocumentLoaders.load("refund.eml", eml);

        assertThat(doc.title()).isEqualTo("Refund for order 1042 – broken lamp");
        Section body = doc.sections().getFirst();
        assertThat(body.heading()).isEmpty();
        assertThat(body.text()).contains("From: Alice Buyer <alice@customer.example>")
                .contains("The lamp arrived broken.").doesNotContain("HTML VERSION");
        assertThat(body.metadata()).containsEntry("from", "Alice Buyer <alice@customer.example>")
                .containsEntry("to", "support@acme.example")
                .containsEntry("cc", "Bob <bob@customer.example>")
                .containsEntry("date", "2024-03-05T13:02:00Z");
        assertThat(doc.sections()).extracting(Section::heading).contains(
                "Attachment: policy.docx > Leave > Vacation", "Attachment: receipt.txt");
        assertThat(doc.sections()).filteredOn(s -> s.heading().startsWith("Attachment: receipt.txt")).singleElement()
                .satisfies(s -> {
                    assertThat(s.text()).isEqualTo("Receipt: order 1042, lamp, 39.90 EUR.");
                    assertThat(s.metadata()).containsEntry("attachment", "receipt.txt")
                            .containsEntry("from", "Alice Buyer <alice@customer.example>");
                });
        assertThat(doc.metadata()).containsEntry(Metadata.AUTHOR, "Alice Buyer <alice@customer.example>")
                .containsEntry(Metadata.CREATED, "2024-03-05T13:02:00Z").containsEntry(Metadata.SOURCE, "refund.eml");
        assertThat(doc.warnings()).singleElement().asString().contains("photos.zip").contains("not indexed");
    }

    @Test
    void htmlOnlyMailIsReducedToText() {
        byte[] eml = mail("From: news@vendor.example", "Subject: Release notes", "Content-Type: text/html; charset=UTF-8", "",
                "<html><body><h1>Version 2</h1><p>Faster sync.</p><script>track()</script></body></html>");
        ParsedDocument doc = DocumentLoaders.load("notes.eml", eml);
        assertThat(doc.sections().getFirst().text()).contains("Version 2").contains("Faster sync.").doesNotContain("track");
    }

    @Test
    void binaryOrHeaderlessContentNamedEmlIsUnreadable() {
        assertThatThrownBy(() -> DocumentLoaders.load("x.eml", "just a line of text\nand another".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(DocumentRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo("unreadable_document");
                    assertThat(e.getMessage()).contains("x.eml").contains("does not look like an e-mail");
                });
        assertThatThrownBy(() -> DocumentLoaders.load("empty.eml", new byte[0]))
                .isInstanceOfSatisfying(DocumentRejectedException.class, e -> assertThat(e.code()).isEqualTo("empty_document"));
    }

    @Test
    void mboxBecomesOneSectionPerMessageWithItsOwnHeaders() {
        byte[] mbox = String.join("\n",
                "From alice@customer.example Tue Mar  5 14:02:00 2024",
                "From: alice@customer.example",
                "To: support@acme.example",
                "Subject: Printer offline",
                "Date: Tue, 5 Mar 2024 14:02:00 +0000",
                "",
                "The office printer shows offline since Monday.",
                ">From the log: error 41.",
                "",
                "From bob@acme.example Wed Mar  6 09:15:00 2024",
                "From: bob@acme.example",
                "To: alice@customer.example",
                "Subject: Re: Printer offline",
                "Date: Wed, 6 Mar 2024 09:15:00 +0000",
                "",
                "Please power-cycle the printer and update its firmware.",
                "").getBytes(StandardCharsets.US_ASCII);
        ParsedDocument doc = DocumentLoaders.load("support.mbox", mbox);

        assertThat(doc.title()).isEqualTo("support");
        assertThat(doc.sections()).extracting(Section::heading).containsExactly("Printer offline", "Re: Printer offline");
        assertThat(doc.sections().get(0).metadata()).containsEntry("from", "alice@customer.example")
                .containsEntry("date", "2024-03-05T14:02:00Z");
        assertThat(doc.sections().get(1).metadata()).containsEntry("from", "bob@acme.example");
        assertThat(doc.sections().get(0).text()).contains("offline since Monday").doesNotContain("power-cycle");
        assertThat(doc.sections().get(1).text()).contains("power-cycle");
    }

    @Test
    void textWithoutFromLinesIsNotAMailbox() {
        assertThatThrownBy(() -> DocumentLoaders.load("a.mbox", "hello\nworld\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(DocumentRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo("unreadable_document");
                    assertThat(e.getMessage()).contains("a.mbox").contains("no messages");
                });
    }

    @Test
    void everySectionOfAMailboxCarriesMetadataIntoItsChunks() {
        byte[] mbox = String.join("\n", "From a@x.example Tue Mar  5 14:02:00 2024", "From: a@x.example", "Subject: One", "",
                "First body.", "", "From b@x.example Tue Mar  5 15:02:00 2024", "From: b@x.example", "Subject: Two", "",
                "Second body.", "").getBytes(StandardCharsets.US_ASCII);
        ParsedDocument doc = DocumentLoaders.load("box.mbox", mbox);
        var chunks = new dev.steward.rag.chunk.Chunker(dev.steward.rag.chunk.TokenCounter.approximate())
                .chunk(new dev.steward.core.knowledge.DocumentId("doc_mailbox001"), doc);
        // Two tiny messages from different senders are never merged into one chunk.
        assertThat(chunks).hasSize(2);
        assertThat(chunks).extracting(c -> c.metadata().get("from")).containsExactly("a@x.example", "b@x.example");
        assertThat(chunks).allSatisfy(c -> assertThat(c.metadata()).containsEntry(Metadata.SOURCE, "box.mbox"));
        assertThat(List.of(chunks.get(0).section(), chunks.get(1).section())).containsExactly("One", "Two");
    }
}
