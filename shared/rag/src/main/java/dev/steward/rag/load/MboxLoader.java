package dev.steward.rag.load;

import dev.steward.rag.DocumentRejectedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.james.mime4j.mboxiterator.CharBufferWrapper;
import org.apache.james.mime4j.mboxiterator.MboxIterator;

/**
 * A mailbox ({@code .mbox}, messages separated by {@code "From "} lines, split with mime4j's {@link MboxIterator}):
 * every message becomes sections of its own, as by {@link EmailLoader}, headed by its subject, with its own From,
 * To, Date and Subject as metadata. A message that cannot be parsed is skipped and named in the warnings.
 *
 * <p>mime4j's splitter reads a file, so the bytes go through a temporary file that is deleted before returning.
 * Stateless, thread-safe.
 */
public final class MboxLoader implements DocumentLoader {
    /** mime4j's default wants an address after "From "; Thunderbird writes "From - <date>", servers "From MAILER-DAEMON". */
    private static final String FROM_LINE = "^From \\S+.*\\d{4}$";

    @Override
    public ParsedDocument load(String fileName, byte[] content) {
        if (content.length == 0) {
            throw TextDecoding.empty(fileName);
        }
        if (!new String(content, 0, Math.min(5, content.length), StandardCharsets.ISO_8859_1).equals("From ")) {
            throw Loading.unreadable(fileName, "has no messages: an mbox file starts each message with a 'From ' line", null);
        }
        Path file = null;
        try {
            file = Files.createTempFile("steward-mbox-", ".mbox");
            Files.write(file, content);
            List<Section> sections = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            int count = 0;
            // ISO-8859-1 maps every byte to one char and back, so each message's bytes reach mime4j unchanged.
            try (MboxIterator messages = MboxIterator.fromFile(file).charset(StandardCharsets.ISO_8859_1).fromLine(FROM_LINE)
                    .maxMessageSize(Math.max(content.length, 1024)).build()) {
                for (CharBufferWrapper message : messages) {
                    count++;
                    try {
                        MailMessage mail = MailMessage.parse(fileName,
                                message.asInputStream(StandardCharsets.ISO_8859_1), "Message " + count);
                        sections.addAll(mail.sections);
                        String which = "message " + count;
                        mail.warnings.forEach(w -> warnings.add(which + ": " + w));
                    } catch (DocumentRejectedException e) {
                        warnings.add("message " + count + " was not indexed: " + e.getMessage());
                    }
                }
            }
            if (sections.isEmpty()) {
                throw new DocumentRejectedException("empty_document", "'" + fileName + "' has no message with text to index ("
                        + String.join("; ", warnings) + ")");
            }
            return Loading.requireText(fileName, null, sections, Map.of(), warnings);
        } catch (IOException | IllegalArgumentException e) {
            throw Loading.unreadable(fileName, "could not be split into messages (" + e.getMessage() + ")", e);
        } finally {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete temporary file " + file, e);
            }
        }
    }
}
