package dev.steward.guardrails.pii;

import java.util.regex.Pattern;

/** Shared checks on the words around a candidate. */
final class Context {
    /**
     * Keywords after which a digit string identifies a thing, not a person: order, invoice, tracking, reference,
     * ticket, account, contract, deal and part numbers, ISBNs, tax and VAT ids, passport and licence numbers. A bare
     * "no." or "#" is not enough ("card no. 4111..." is a card).
     */
    private static final Pattern REFERENCE = Pattern.compile(
            "(?i)\\b(?:order|invoice|inv|ref|reference|tracking|ticket|case|confirmation|booking|serial|part|sku|isbn|"
                    + "item|product|model|version|build|po|transaction|txn|shipment|parcel|patent|account|acct|zip|zip code|postal code|postcode|plz|"
                    + "contract|deal|tax|vat|passport|license|licence)"
                    + "(?:\\s*(?:number|no\\.?|nr\\.?|num|#|id))?\\s*[:#]?\\s*$");

    /**
     * Words that announce a phone number: a phone word ("phone:", "call me at", "Tel.", "mobile", "fax", "hotline",
     * "reach us on", "text me"), also as Europeans write it ("Mobil", "GSM", "Natel", "Tlf.", "Tfn", "Fon", "puh.",
     * "Telefonnummer", "erreichbar unter", "appelez"); a person's number ("my number is", "her new number"); or a label
     * of a signature block ending in a colon ("Desk:", "Office:", "Direct:", "Home:", "Work:"). At most 20 characters
     * without a digit or line break follow it before the candidate, or at most 48 ending in a word that introduces
     * the number ("call Dr. Aksel Kristensen at", "contact our support team on", "erreichen Sie Frau Berg unter").
     */
    private static final Pattern PHONE = Pattern.compile(
            "(?i)(?<![\\p{L}])(?:(?:phone|telephone|tel|ph|call|calling|ring|dial|mobile|mob|cell|cellphone|fax|"
                    + "hotline|helpline|landline|pager|voicemail|switchboard|"
                    + "contact|reach|whatsapp|sms|telefon|handy|téléphone|tél|portable|telefono|"
                    + "cellulare|teléfono|móvil|celular|mobil|mobiel|gsm|natel|tlf|tfn|fon|telefoon|telefone|"
                    + "telemóvel|puh|puhelin|erreichbar|erreichen|anrufen|appeler|appelez|joindre|llamar|llame|"
                    + "chiamare|chiamami)(?:nummer|nr)?"
                    + "|text(?:ing)?\\s+(?:me|us|him|her|them)"
                    + "|(?:my|your|his|her|our|their)\\s+(?:(?:new|old|home|work|office|direct|private|personal|business)"
                    + "\\s+)?number"
                    + "|(?:desk|office|direct|direct line|direct dial|ddi|work|home)\\s*:)"
                    + "(?![\\p{L}])(?:[^\\d\\n]{0,20}|[^\\d\\n]{0,44}\\s(?:at|on|via|under|unter|au|op)\\s{1,2})$");

    /** A currency sign or code right before an amount ("$ 1 250 000", "EUR 12 500 000"). */
    private static final Pattern CURRENCY_BEFORE = Pattern.compile(
            "(?i)(?:[$\u20AC\u00A3\u00A5]|(?<![\\p{L}])(?:eur|usd|gbp|chf|sek|nok|dkk|pln|czk|huf)\\.?)\\s?$");
    /** A currency sign, code or word right after an amount ("876 578 795 EUR", "1 250 000 Kč"). */
    private static final Pattern CURRENCY_AFTER = Pattern.compile(
            "(?i)^\\s?(?:[$\u20AC\u00A3\u00A5]|(?:eur|euros?|usd|dollars?|gbp|pounds?|chf|francs?|sek|nok|dkk|kr|pln|z\u0142|"
                    + "czk|k\u010D|huf|ft)(?![\\p{L}]))");

    private Context() {}

    static boolean precededByPhoneKeyword(String text, int start) {
        String before = text.substring(Math.max(0, start - 64), start);
        return PHONE.matcher(before).find();
    }

    /** Whether a currency stands right before {@code start} or right after {@code end}: the number is an amount. */
    static boolean besideCurrency(String text, int start, int end) {
        return CURRENCY_BEFORE.matcher(text.substring(Math.max(0, start - 5), start)).find()
                || CURRENCY_AFTER.matcher(text.substring(end, Math.min(text.length(), end + 9))).find();
    }

    static boolean precededByReferenceKeyword(String text, int start) {
        String before = text.substring(Math.max(0, start - 32), start);
        return REFERENCE.matcher(before).find();
    }
}
