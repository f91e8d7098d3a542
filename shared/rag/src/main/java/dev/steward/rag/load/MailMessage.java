package dev.steward.rag.load;

import dev.steward.core.knowledge.DocumentFormat;
import dev.steward.rag.DocumentRejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.field.address.AddressFormatter;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * One parsed e-mail (Apache James mime4j) turned into sections: the body (text/plain preferred over text/html, which
 * is reduced to text with jsoup), then each attachment of a loadable type as sections of its own, headed
 * {@code "Attachment: name"}. Headers From, To, Cc, Date and Subject become metadata of every section, and From, To,
 * Cc and Date also open the body's text so that they can be searched and quoted. Attachments that cannot be read,
 * and those of other types, are named in the warnings. Not thread-safe; one per message.
 */
final class MailMessage {
    private static final int MAX_NESTING = 5;

    final String subject;
    final Map<String, String> metadata = new LinkedHashMap<>();
    final List<Section> sections = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    private final String fileName;
    private final StringBuilder body = new StringBuilder();

    private MailMessage(String fileName, Message message) {
        this.fileName = fileName;
        String s = message.getSubject();
        this.subject = s == null ? "" : s.strip();
        metadata.put("from", addresses(message.getFrom()));
        metadata.put("to", addresses(message.getTo()));
        metadata.put("cc", addresses(message.getCc()));
        metadata.put("date", message.getDate() == null ? null : message.getDate().toInstant().toString());
        metadata.put("subject", subject);
    }

    /**
     * Parses one RFC 822 message.
     *
     * @param inMailbox the message's heading when it has no subject, for one message of several (its sections then
     *     sit under its subject); null for a lone message
     * @throws DocumentRejectedException {@code unreadable_document} when the bytes carry no e-mail header at all
     */
    static MailMessage parse(String fileName, InputStream in, String inMailbox) {
        Message message;
        try {
            DefaultMessageBuilder builder = new DefaultMessageBuilder();
            builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
            builder.setDecodeMonitor(DecodeMonitor.SILENT);
            message = builder.parseMessage(in);
        } catch (IOException | RuntimeException e) {
            throw Loading.unreadable(fileName, "is not a readable e-mail (" + e.getMessage() + ")", e);
        }
        try {
            if (!looksLikeMail(message)) {
                throw Loading.unreadable(fileName, "does not look like an e-mail: it has no From, To, Subject or Date header", null);
            }
            MailMessage mail = new MailMessage(fileName, message);
            mail.walk(message.getBody(), message.getMimeType(), 0);
            mail.finish(inMailbox == null ? "" : mail.subject.isEmpty() ? inMailbox : mail.subject);
            return mail;
        } finally {
            message.dispose();
        }
    }

    private static boolean looksLikeMail(Message message) {
        return message.getHeader() != null && message.getHeader().getFields().stream()
                .map(f -> f.getName().toLowerCase(Locale.ROOT))
                .anyMatch(n -> n.equals("from") || n.equals("to") || n.equals("subject") || n.equals("date"));
    }

    private void walk(Body content, String mimeType, int depth) {
        if (content instanceof Multipart multipart) {
            List<Entity> parts = multipart.getBodyParts();
            if (multipart.getSubType().equalsIgnoreCase("alternative")) {
                Entity chosen = parts.stream().filter(p -> p.getMimeType().equalsIgnoreCase("text/plain")).findFirst()
                        .orElse(parts.isEmpty() ? null : parts.getLast());
                if (chosen != null) {
                    part(chosen, depth);
                }
                return;
            }
            parts.forEach(p -> part(p, depth));
        } else if (content instanceof Message nested && depth < MAX_NESTING) {
            String nestedSubject = nested.getSubject() == null ? "" : nested.getSubject();
            body.append("\n\n---------- Forwarded message: ").append(nestedSubject).append(" ----------\n")
                    .append(headerLines(nested)).append('\n');
            walk(nested.getBody(), nested.getMimeType(), depth + 1);
        } else if (content instanceof TextBody text) {
            appendText(mimeType, read(text));
        }
    }

    private void part(Entity entity, int depth) {
        String name = entity.getFilename();
        boolean attachment = "attachment".equalsIgnoreCase(entity.getDispositionType()) || (name != null && !name.isBlank());
        if (attachment) {
            attachment(name == null || name.isBlank() ? "unnamed attachment" : name.strip(), entity.getBody());
        } else if (entity.getBody() instanceof Multipart || entity.getBody() instanceof Message) {
            walk(entity.getBody(), entity.getMimeType(), depth + 1);
        } else if (entity.getBody() instanceof TextBody text && entity.getMimeType().toLowerCase(Locale.ROOT).startsWith("text/")) {
            appendText(entity.getMimeType(), read(text));
        }
    }

    private void appendText(String mimeType, String text) {
        TextDecoding.requireFewControls(fileName, text);
        if (mimeType.equalsIgnoreCase("text/html")) {
            try {
                String name = fileName + ".html";
                ParsedDocument html = new HtmlLoader().load(name, text.getBytes(StandardCharsets.UTF_8));
                String title = html.title().equals(Loading.titleFromFileName(name)) ? "" : html.title() + "\n\n";
                text = title + html.sections().stream()
                        .map(s -> s.heading().isEmpty() ? s.text() : s.heading() + "\n" + s.text())
                        .collect(Collectors.joining("\n\n"));
            } catch (DocumentRejectedException noText) {
                return;
            }
        }
        body.append(text).append("\n\n");
    }

    private void attachment(String name, Body content) {
        String under = "attachment '" + name + "'" + (subject.isEmpty() ? "" : " of '" + subject + "'");
        DocumentFormat format = DocumentFormat.fromFileName(name).orElse(null);
        if (format == null || format == DocumentFormat.EMAIL || format == DocumentFormat.MBOX) {
            warnings.add(under + " was not indexed: type ." + DocumentFormat.extensionOf(name) + " is not read inside e-mails");
            return;
        }
        if (!(content instanceof SingleBody single)) {
            warnings.add(under + " was not indexed: it has no content");
            return;
        }
        try (InputStream in = single.getInputStream()) {
            ParsedDocument parsed = DocumentLoaders.forFormat(format).load(name, in.readAllBytes());
            for (Section s : parsed.sections()) {
                String heading = "Attachment: " + name + (s.heading().isEmpty() ? "" : " > " + s.heading());
                Map<String, String> m = new LinkedHashMap<>(s.metadata());
                m.put("attachment", name);
                sections.add(new Section(heading, s.text(), m));
            }
            parsed.warnings().forEach(w -> warnings.add(under + ": " + w));
        } catch (DocumentRejectedException e) {
            warnings.add(under + " was not indexed: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts the body first, then sets every section under {@code heading} with the message's metadata. */
    private void finish(String heading) {
        String text = Loading.tidy(body.toString());
        List<Section> all = new ArrayList<>();
        if (!text.isBlank()) {
            all.add(new Section("", headerLines(metadata) + "\n\n" + text));
        }
        all.addAll(sections);
        sections.clear();
        Map<String, String> messageMetadata = Metadata.copy(metadata);
        for (Section s : all) {
            String h = heading.isEmpty() ? s.heading() : s.heading().isEmpty() ? heading : heading + " > " + s.heading();
            sections.add(new Section(h, s.text(), Metadata.merge(messageMetadata, s.metadata())));
        }
    }

    private static String headerLines(Message message) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("from", addresses(message.getFrom()));
        m.put("to", addresses(message.getTo()));
        m.put("date", message.getDate() == null ? null : message.getDate().toInstant().toString());
        return headerLines(m);
    }

    private static String headerLines(Map<String, String> m) {
        StringBuilder out = new StringBuilder();
        for (String key : List.of("from", "to", "cc", "date")) {
            String v = m.get(key);
            if (v != null && !v.isBlank()) {
                out.append(Character.toUpperCase(key.charAt(0))).append(key.substring(1)).append(": ").append(v).append('\n');
            }
        }
        return out.toString().strip();
    }

    private static String addresses(MailboxList list) {
        return list == null ? null : list.stream().map(a -> AddressFormatter.DEFAULT.format(a, false))
                .collect(Collectors.joining(", "));
    }

    private static String addresses(AddressList list) {
        return list == null ? null : addresses(list.flatten());
    }

    private static String read(TextBody text) {
        try (Reader reader = text.getReader()) {
            StringWriter out = new StringWriter();
            reader.transferTo(out);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
