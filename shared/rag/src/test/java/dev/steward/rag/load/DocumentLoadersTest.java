package dev.steward.rag.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.rag.DocumentRejectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DocumentLoadersTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRejected(String fileName, byte[] content, String code) {
        assertThatThrownBy(() -> DocumentLoaders.load(fileName, content))
                .isInstanceOfSatisfying(DocumentRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(fileName);
                });
    }

    // ---- plain text ----

    @Test
    void textIsOneSectionTitledByFileName() {
        ParsedDocument doc = DocumentLoaders.load("notes/Onboarding Guide.txt",
                utf8("Welcome to Acme.\r\n\r\n\r\nBadges are   issued on day one.\n"));
        assertThat(doc.title()).isEqualTo("Onboarding Guide");
        assertThat(doc.sections()).singleElement().satisfies(s -> {
            assertThat(s.heading()).isEmpty();
            assertThat(s.text()).isEqualTo("Welcome to Acme.\n\nBadges are issued on day one.");
        });
    }

    @Test
    void utf8ByteOrderMarkAndLegacyWindows1252AreDecoded() {
        byte[] bom = new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] withBom = concat(bom, utf8("Crème brûlée"));
        assertThat(DocumentLoaders.load("a.txt", withBom).sections().getFirst().text()).isEqualTo("Crème brûlée");

        byte[] legacy = "Le café coûte 2€ à Zürich.".getBytes(Charset.forName("windows-1252"));
        assertThat(DocumentLoaders.load("b.txt", legacy).sections().getFirst().text()).isEqualTo("Le café coûte 2€ à Zürich.");
    }

    @Test
    void utf16WithByteOrderMarkIsDecoded() {
        byte[] utf16 = "Hello UTF-16 world".getBytes(StandardCharsets.UTF_16); // Java writes a big-endian BOM
        assertThat(DocumentLoaders.load("c.txt", utf16).sections().getFirst().text()).isEqualTo("Hello UTF-16 world");
    }

    @Test
    void binaryWithNulBytesNamedTxtIsUnreadable() {
        byte[] content = concat(utf8("PK\u0003\u0004"), new byte[] {0, 0, 0, 1, 2, 3});
        assertRejected("report.txt", content, "unreadable_document");
    }

    @Test
    void randomGarbageIsUnreadableForEveryTextFormatEvenWithoutNulBytes() {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            byte[] garbage = new byte[64 + random.nextInt(4000)];
            random.nextBytes(garbage);
            boolean stripNul = round % 2 == 0;
            if (stripNul) {
                for (int i = 0; i < garbage.length; i++) {
                    if (garbage[i] == 0) {
                        garbage[i] = (byte) 0x9F;
                    }
                }
            }
            for (String name : List.of("x.txt", "x.md", "x.html")) {
                assertRejected(name, garbage, "unreadable_document");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"empty.txt", "empty.md", "empty.html", "empty.htm", "empty.pdf"})
    void zeroBytesAreEmptyDocument(String name) {
        assertRejected(name, new byte[0], "empty_document");
    }

    @ParameterizedTest
    @ValueSource(strings = {"blank.txt", "blank.md", "blank.html"})
    void whitespaceOnlyIsEmptyDocument(String name) {
        assertRejected(name, utf8(" \n\t\r\n   \n"), "empty_document");
    }

    @Test
    void htmlWithoutVisibleTextIsEmptyDocument() {
        assertRejected("page.html", utf8("<html><head><title>T</title><script>var x = 1;</script></head>"
                + "<body><nav>Home | About</nav><style>p{}</style></body></html>"), "empty_document");
    }

    @ParameterizedTest
    @ValueSource(strings = {"slides.pptx", "archive.zip", "README", "image.png"})
    void unknownExtensionIsUnsupportedType(String name) {
        assertThatThrownBy(() -> DocumentLoaders.load(name, utf8("some text")))
                .isInstanceOfSatisfying(DocumentRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo("unsupported_type");
                    assertThat(e.getMessage()).contains(name).contains("txt, md, html, pdf, docx, eml, mbox, csv, json");
                });
    }

    // ---- markdown ----

    @Test
    void markdownHeadingsBecomeSectionsWithHeadingPaths() {
        String md = """
                # Employee Handbook

                Read this first.

                ## Leave

                You get **25 days** of paid leave. See [the HR portal](https://hr.example.com).

                ### Sick leave

                - Tell your manager
                - Stay home

                ## Expenses

                Submit receipts within `30` days.
                """;
        ParsedDocument doc = DocumentLoaders.load("handbook.md", utf8(md));
        assertThat(doc.title()).isEqualTo("Employee Handbook");
        assertThat(doc.sections()).extracting(Section::heading)
                .containsExactly("", "Leave", "Leave > Sick leave", "Expenses");
        assertThat(doc.sections().get(0).text()).isEqualTo("Read this first.");
        assertThat(doc.sections().get(1).text())
                .contains("You get 25 days of paid leave")
                .contains("the HR portal")
                .doesNotContain("**");
        assertThat(doc.sections().get(2).text()).contains("Tell your manager").contains("Stay home");
        assertThat(doc.sections().get(3).text()).startsWith("Submit receipts within").contains("30").endsWith("days.");
    }

    @Test
    void markdownWithoutTopHeadingIsTitledByFileName() {
        ParsedDocument doc = DocumentLoaders.load("faq.markdown", utf8("## Q1\n\nAnswer one.\n"));
        assertThat(doc.title()).isEqualTo("faq");
        assertThat(doc.sections()).containsExactly(new Section("Q1", "Answer one."));
    }

    // ---- html ----

    @Test
    void htmlKeepsTitleAndHeadingsAndStripsScriptStyleAndNav() {
        String html = """
                <!doctype html><html><head><title>VPN Guide</title><style>.x{color:red}</style>
                <script>trackVisitor('secret-tracking-token');</script></head>
                <body>
                <nav><a href="/">Home</a> <a href="/menu">Site menu</a></nav>
                <p>Intro paragraph with <b>bold</b> text.</p>
                <h1>Setup</h1>
                <p>Install the client.</p><ul><li>Windows</li><li>macOS</li></ul>
                <h2>Troubleshooting</h2>
                <p>Restart<br>the service.</p>
                <table><tr><td>cell one</td><td>cell two</td></tr></table>
                <noscript>Enable JavaScript</noscript>
                </body></html>
                """;
        ParsedDocument doc = DocumentLoaders.load("vpn.html", utf8(html));
        assertThat(doc.title()).isEqualTo("VPN Guide");
        assertThat(doc.sections()).extracting(Section::heading).containsExactly("", "Setup", "Setup > Troubleshooting");
        assertThat(doc.sections().get(0).text()).isEqualTo("Intro paragraph with bold text.");
        assertThat(doc.sections().get(1).text()).contains("Install the client.").contains("Windows").contains("macOS");
        assertThat(doc.sections().get(2).text()).contains("Restart\nthe service.").contains("cell one cell two");
        String all = String.join(" ", doc.sections().stream().map(Section::text).toList());
        assertThat(all).doesNotContain("secret-tracking-token", "color:red", "Site menu", "Enable JavaScript");
    }

    @Test
    void htmlWithoutTitleFallsBackToFirstH1() {
        ParsedDocument doc = DocumentLoaders.load("p.htm", utf8("<h1>Release Notes</h1><p>Fixed bugs.</p>"));
        assertThat(doc.title()).isEqualTo("Release Notes");
        assertThat(doc.sections()).containsExactly(new Section("", "Fixed bugs."));
    }

    // ---- pdf ----

    @Test
    void pdfPagesBecomeSectionsAndInfoTitleIsUsed() throws IOException {
        byte[] pdf = pdf("Quarterly Report", null,
                List.of("Revenue grew by twelve percent.", "Costs were flat."),
                List.of("Outlook: hiring continues in Berlin."));
        ParsedDocument doc = DocumentLoaders.load("q3.pdf", pdf);
        assertThat(doc.title()).isEqualTo("Quarterly Report");
        assertThat(doc.sections()).extracting(Section::heading).containsExactly("Page 1", "Page 2");
        assertThat(doc.sections().get(0).text()).contains("Revenue grew by twelve percent.").contains("Costs were flat.");
        assertThat(doc.sections().get(1).text()).contains("Outlook: hiring continues in Berlin.");
    }

    @Test
    void pdfWithoutInfoTitleIsTitledByFileName() throws IOException {
        ParsedDocument doc = DocumentLoaders.load("memo-2024.pdf", pdf(null, null, List.of("Short memo.")));
        assertThat(doc.title()).isEqualTo("memo-2024");
    }

    @Test
    void passwordProtectedPdfIsUnreadableWithAClearMessage() throws IOException {
        byte[] pdf = pdf("Secret", "user-password", List.of("Classified numbers."));
        assertThatThrownBy(() -> DocumentLoaders.load("secret.pdf", pdf))
                .isInstanceOfSatisfying(DocumentRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo("unreadable_document");
                    assertThat(e.getMessage()).contains("secret.pdf").contains("password");
                });
    }

    @Test
    void corruptOrFakePdfIsUnreadable() throws IOException {
        byte[] valid = pdf("T", null, List.of("Some text here."));
        assertRejected("truncated.pdf", Arrays.copyOf(valid, 40), "unreadable_document");
        assertRejected("fake.pdf", utf8("this is plain text pretending to be a PDF"), "unreadable_document");
        byte[] garbage = new byte[2048];
        new Random(7).nextBytes(garbage);
        assertRejected("garbage.pdf", garbage, "unreadable_document");
    }

    @Test
    void pdfWithoutTextLayerIsEmptyDocument() throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.addPage(new PDPage());
            doc.save(out);
            assertRejected("scan.pdf", out.toByteArray(), "empty_document");
        }
    }

    /** Builds a real PDF with PDFBox: one page per list of lines, optionally protected by a user password. */
    @SafeVarargs
    static byte[] pdf(String title, String userPassword, List<String>... pages) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (List<String> lines : pages) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.beginText();
                    content.setFont(font, 12);
                    content.setLeading(16);
                    content.newLineAtOffset(72, 700);
                    for (String line : lines) {
                        content.showText(line);
                        content.newLine();
                    }
                    content.endText();
                }
            }
            if (title != null) {
                doc.getDocumentInformation().setTitle(title);
            }
            if (userPassword != null) {
                StandardProtectionPolicy policy =
                        new StandardProtectionPolicy("owner-" + userPassword, userPassword, new AccessPermission());
                policy.setEncryptionKeyLength(128);
                doc.protect(policy);
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
