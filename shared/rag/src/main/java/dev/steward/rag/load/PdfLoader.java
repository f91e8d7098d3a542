package dev.steward.rag.load;

import dev.steward.rag.DocumentRejectedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDF (PDFBox): one section per page with text, headed {@code "Page N"}, so a citation can point at the page. The
 * title is the document-information title, else the file name. Password-protected and corrupt files are rejected
 * as {@code unreadable_document}; a PDF without a text layer (a scan) is rejected as {@code empty_document}.
 * Stateless, thread-safe (one PDDocument per call).
 */
public final class PdfLoader implements DocumentLoader {

    @Override
    public ParsedDocument load(String fileName, byte[] content) {
        if (content.length == 0) {
            throw TextDecoding.empty(fileName);
        }
        try (PDDocument pdf = Loader.loadPDF(content)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setLineSeparator("\n");
            stripper.setParagraphEnd("\n\n");
            List<Section> sections = new ArrayList<>();
            for (int page = 1; page <= pdf.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                String text = Loading.tidy(stripper.getText(pdf));
                if (!text.isBlank()) {
                    sections.add(new Section("Page " + page, text));
                }
            }
            if (sections.isEmpty()) {
                throw new DocumentRejectedException(
                        "empty_document",
                        "'" + fileName + "' has no extractable text (a scanned PDF needs OCR, which is not supported)");
            }
            String title = pdf.getDocumentInformation().getTitle();
            return Loading.requireText(fileName, title, sections);
        } catch (InvalidPasswordException e) {
            throw new DocumentRejectedException(
                    "unreadable_document", "'" + fileName + "' is a password-protected (encrypted) PDF; upload an unprotected copy", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof DocumentRejectedException rejected) {
                throw rejected;
            }
            throw new DocumentRejectedException(
                    "unreadable_document", "'" + fileName + "' is not a readable PDF (" + e.getMessage() + ")", e);
        }
    }
}
