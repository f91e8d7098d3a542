package dev.steward.rag.load;

import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One e-mail ({@code .eml}, RFC 822 / MIME, read with Apache James mime4j): the title is the subject; the body is a
 * section, and every attachment of a loadable type (pdf, docx, txt, html, ...) is parsed by its own loader into
 * sections headed {@code "Attachment: name"}. From, To, Cc, Date and Subject are metadata of every section; the
 * document's author and created time are the sender and the date. Stateless, thread-safe.
 */
public final class EmailLoader implements DocumentLoader {

    @Override
    public ParsedDocument load(String fileName, byte[] content) {
        if (content.length == 0) {
            throw TextDecoding.empty(fileName);
        }
        MailMessage mail = MailMessage.parse(fileName, new ByteArrayInputStream(content), null);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(Metadata.AUTHOR, mail.metadata.get("from"));
        metadata.put(Metadata.CREATED, mail.metadata.get("date"));
        return Loading.requireText(fileName, mail.subject, mail.sections, metadata, mail.warnings);
    }
}
