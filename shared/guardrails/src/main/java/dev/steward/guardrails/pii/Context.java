package dev.steward.guardrails.pii;

import java.util.regex.Pattern;

/** Shared look-behind checks on the words before a candidate. */
final class Context {
    /**
     * Keywords after which a digit string identifies a thing, not a person: order, invoice, tracking, reference,
     * ticket, account and part numbers, ISBNs. A bare "no." or "#" is not enough ("card no. 4111..." is a card).
     */
    private static final Pattern REFERENCE = Pattern.compile(
            "(?i)\\b(?:order|invoice|inv|ref|reference|tracking|ticket|case|confirmation|booking|serial|part|sku|isbn|"
                    + "item|product|model|version|build|po|transaction|txn|shipment|parcel|patent|account|acct|zip|zip code|postal code|postcode|plz)"
                    + "(?:\\s*(?:number|no\\.?|nr\\.?|num|#|id))?\\s*[:#]?\\s*$");

    /**
     * A word that announces a phone number ("phone:", "call me at", "Tel.", "mobile", "fax", "reach us on"),
     * followed by at most 20 characters without a digit or line break before the candidate.
     */
    private static final Pattern PHONE = Pattern.compile(
            "(?i)(?<![\\p{L}])(?:phone|telephone|tel|ph|call|calling|ring|dial|mobile|mob|cell|cellphone|fax|"
                    + "contact|reach|whatsapp|sms|telefon|handy|téléphone|portable|telefono|"
                    + "cellulare|teléfono|móvil|celular)(?![\\p{L}])[^\\d\\n]{0,20}$");

    private Context() {}

    static boolean precededByPhoneKeyword(String text, int start) {
        String before = text.substring(Math.max(0, start - 40), start);
        return PHONE.matcher(before).find();
    }

    static boolean precededByReferenceKeyword(String text, int start) {
        String before = text.substring(Math.max(0, start - 32), start);
        return REFERENCE.matcher(before).find();
    }
}
