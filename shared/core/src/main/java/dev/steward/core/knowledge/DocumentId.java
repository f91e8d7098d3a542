package dev.steward.core.knowledge;

import java.util.UUID;
import java.util.regex.Pattern;

/** A knowledge document's identifier, unique within a tenant. */
public record DocumentId(String value) {
    private static final Pattern VALID = Pattern.compile("doc_[A-Za-z0-9]{8,40}");

    public DocumentId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid document id '" + value + "'");
        }
    }

    public static DocumentId random() {
        return new DocumentId("doc_" + UUID.randomUUID().toString().replace("-", ""));
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
