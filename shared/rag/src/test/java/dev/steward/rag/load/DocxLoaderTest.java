package dev.steward.rag.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.rag.DocumentRejectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.junit.jupiter.api.Test;

class DocxLoaderTest {

    /** A .docx written by POI: heading-styled paragraphs, a table, core properties. */
    static byte[] handbook() throws Exception {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.getProperties().getCoreProperties().setCreator("Dana Ops");
            doc.getProperties().getCoreProperties().setCreated("2024-03-01T09:00:00Z");
            doc.getProperties().getCoreProperties().setModified("2024-04-02T10:30:00Z");
            paragraph(doc, "Title", "Employee Handbook");
            paragraph(doc, null, "Welcome to Acme.");
            paragraph(doc, "Heading1", "Leave");
            paragraph(doc, "Heading2", "Vacation");
            paragraph(doc, null, "Staff get 25 days of paid vacation per year.");
            paragraph(doc, "Heading2", "Sick leave");
            paragraph(doc, null, "Report sick leave to your manager before 10 am.");
            paragraph(doc, "Heading1", "Expenses");
            XWPFTable table = doc.createTable(2, 2);
            table.getRow(0).getCell(0).setText("Item");
            table.getRow(0).getCell(1).setText("Limit");
            table.getRow(1).getCell(0).setText("Hotel");
            table.getRow(1).getCell(1).setText("180 EUR per night");
            doc.write(out);
            return out.toByteArray();
        }
    }

    private static void paragraph(XWPFDocument doc, String style, String text) {
        var p = doc.createParagraph();
        if (style != null) {
            p.setStyle(style);
        }
        p.createRun().setText(text);
    }

    @Test
    void headingsBecomeSectionPathsAndPropertiesBecomeMetadata() throws Exception {
        ParsedDocument doc = DocumentLoaders.load("handbook.docx", handbook());

        assertThat(doc.title()).isEqualTo("Employee Handbook");
        assertThat(doc.sections()).extracting(Section::heading)
                .containsExactly("", "Leave > Vacation", "Leave > Sick leave", "Expenses");
        assertThat(doc.sections().get(0).text()).isEqualTo("Welcome to Acme.");
        assertThat(doc.sections().get(1).text()).isEqualTo("Staff get 25 days of paid vacation per year.");
        assertThat(doc.sections().get(3).text()).isEqualTo("Item | Limit\nHotel | 180 EUR per night");
        assertThat(doc.metadata())
                .containsEntry(Metadata.SOURCE, "handbook.docx")
                .containsEntry(Metadata.AUTHOR, "Dana Ops")
                .containsEntry(Metadata.CREATED, "2024-03-01T09:00:00Z")
                .containsEntry(Metadata.MODIFIED, "2024-04-02T10:30:00Z");
        assertThat(doc.warnings()).isEmpty();
    }

    @Test
    void zipBombNamedDocxIsRefusedWithAClearReason() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) { // 64 MiB of zeros deflate to about 64 KiB
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertThat(bytes.size()).isLessThan(200_000);

        assertThatThrownBy(() -> DocumentLoaders.load("quarterly.docx", bytes.toByteArray()))
                .isInstanceOfSatisfying(DocumentRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo("unreadable_document");
                    assertThat(e.getMessage()).contains("quarterly.docx").contains("zip bomb");
                });
    }

    @Test
    void textNamedDocxAndEncryptedDocxAreUnreadable() throws Exception {
        assertThatThrownBy(() -> DocumentLoaders.load("notes.docx", "just some text".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(DocumentRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo("unreadable_document");
                    assertThat(e.getMessage()).contains("notes.docx").contains("not a readable .docx");
                });

        byte[] plain = handbook();
        ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            Encryptor encryptor = new EncryptionInfo(EncryptionMode.agile).getEncryptor();
            encryptor.confirmPassword("secret");
            try (var out = encryptor.getDataStream(fs)) {
                out.write(plain);
            }
            fs.writeFilesystem(encrypted);
        }
        assertThatThrownBy(() -> DocumentLoaders.load("locked.docx", encrypted.toByteArray()))
                .isInstanceOfSatisfying(DocumentRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo("unreadable_document");
                    assertThat(e.getMessage()).contains("locked.docx").contains("password-protected");
                });
    }

    @Test
    void docxWithoutTextIsEmpty() throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.createParagraph();
            doc.getProperties().getCoreProperties().setCreated(java.util.Optional.of(new Date()));
            doc.write(out);
            assertThatThrownBy(() -> DocumentLoaders.load("blank.docx", out.toByteArray()))
                    .isInstanceOfSatisfying(DocumentRejectedException.class, e -> assertThat(e.code()).isEqualTo("empty_document"));
        }
    }
}
