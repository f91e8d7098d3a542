package dev.steward.rag.load;

import dev.steward.rag.DocumentRejectedException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes of a text-like file to a String, refusing binary content that merely carries a text extension.
 *
 * <p>UTF-8 is assumed (a UTF-8 or UTF-16 byte-order mark is honoured). A file that is mostly valid UTF-8 but has a
 * few invalid bytes is taken to be a legacy 8-bit file and read as windows-1252, which is what such files almost
 * always are. A file with NUL bytes, with invalid UTF-8 dominating, or with many control characters is binary and
 * is rejected as {@code unreadable_document} rather than indexed as noise.
 */
final class TextDecoding {
    /** Above this share of undecodable bytes the content is not UTF-8 text with a few stray legacy bytes. */
    private static final double MAX_INVALID_UTF8_SHARE = 0.2;
    /** Text has tabs and newlines, not other C0 controls; binary data has them everywhere. */
    private static final double MAX_CONTROL_SHARE = 0.01;
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private TextDecoding() {}

    static String decode(String fileName, byte[] bytes) {
        if (bytes.length == 0) {
            throw empty(fileName);
        }
        String text;
        if (startsWith(bytes, 0xFE, 0xFF)) {
            text = new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE);
        } else if (startsWith(bytes, 0xFF, 0xFE)) {
            text = new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE);
        } else {
            int offset = startsWith(bytes, 0xEF, 0xBB, 0xBF) ? 3 : 0;
            for (int i = offset; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    throw unreadable(fileName, "contains NUL bytes");
                }
            }
            text = decodeUtf8OrLegacy(fileName, bytes, offset);
        }
        requireFewControls(fileName, text);
        if (text.isBlank()) {
            throw empty(fileName);
        }
        return text;
    }

    private static String decodeUtf8OrLegacy(String fileName, byte[] bytes, int offset) {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in)
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            CharBuffer lenient;
            try {
                lenient = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)
                        .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset));
            } catch (CharacterCodingException impossible) {
                throw new IllegalStateException(impossible);
            }
            long replaced = lenient.chars().filter(c -> c == '\uFFFD').count();
            if (replaced > MAX_INVALID_UTF8_SHARE * Math.max(1, lenient.length())) {
                throw unreadable(fileName, "is mostly invalid UTF-8");
            }
            return new String(bytes, offset, bytes.length - offset, WINDOWS_1252);
        }
    }

    static void requireFewControls(String fileName, String text) {
        long controls = text.chars()
                .filter(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t' && c != '\f')
                .count();
        if (controls > MAX_CONTROL_SHARE * text.length()) {
            throw unreadable(fileName, "is full of control characters");
        }
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static DocumentRejectedException empty(String fileName) {
        return new DocumentRejectedException("empty_document", "'" + fileName + "' is empty: it contains no text to index");
    }

    private static DocumentRejectedException unreadable(String fileName, String why) {
        return new DocumentRejectedException(
                "unreadable_document",
                "'" + fileName + "' does not look like text (it " + why + "); is it a binary file with the wrong extension?");
    }
}
