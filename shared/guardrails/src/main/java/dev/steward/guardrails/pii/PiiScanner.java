package dev.steward.guardrails.pii;

import dev.steward.guardrails.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the recognizers and returns non-overlapping entities in text order. Thread-safe.
 *
 * <p>Overlaps: the entity with the higher {@link PiiType#priority()} wins, then the longer one, then the
 * earlier one, except that a card or SSN reading of the national part of a number with a country code loses to
 * that number (see {@link #dropDigitsInsideInternationalPhones}). Text inside an existing placeholder
 * ({@code <EMAIL_1>}) is never reported, so scanning redacted text finds nothing new there.
 */
public final class PiiScanner {
    /** The placeholder syntax the redactor writes; see {@link PiiVault}. */
    static final Pattern PLACEHOLDER = Pattern.compile("<(?:[A-Z]+_)*[A-Z]+_\\d+>");
    private static final Comparator<PiiEntity> PREFERENCE = Comparator
            .comparingInt((PiiEntity e) -> -e.type().priority())
            .thenComparingInt(e -> -e.span().length())
            .thenComparingInt(PiiEntity::start);

    private final List<PiiRecognizer> recognizers;
    private final Set<PiiType> types;

    private PiiScanner(List<PiiRecognizer> recognizers, Set<PiiType> types) {
        this.recognizers = List.copyOf(recognizers);
        this.types = Set.copyOf(types);
    }

    /** A scanner for every {@link PiiType}. */
    public static PiiScanner all() {
        return only(EnumSet.allOf(PiiType.class));
    }

    /** A scanner for the given types only (a tenant may switch off names, say). */
    public static PiiScanner only(Set<PiiType> types) {
        List<PiiRecognizer> list = new ArrayList<>();
        if (types.contains(PiiType.EMAIL)) list.add(new EmailRecognizer());
        if (types.contains(PiiType.CREDIT_CARD)) list.add(new CreditCardRecognizer());
        if (types.contains(PiiType.IBAN)) list.add(new IbanRecognizer());
        if (types.contains(PiiType.US_SSN)) list.add(new UsSsnRecognizer());
        if (types.contains(PiiType.IP_ADDRESS)) list.add(new IpAddressRecognizer());
        if (types.contains(PiiType.PHONE)) list.add(new PhoneRecognizer());
        if (types.contains(PiiType.STREET_ADDRESS)) list.add(new AddressRecognizer());
        if (types.contains(PiiType.PERSON)) list.add(new PersonRecognizer());
        return new PiiScanner(list, types);
    }

    public Set<PiiType> types() {
        return types;
    }

    /**
     * "7943 2027 Prospect St": a house number and a street number read as a national phone number. A phone
     * without a country code that starts inside an address and ends before the address does is part of it.
     */
    private static void dropPhonesInsideAddresses(List<PiiEntity> candidates) {
        List<PiiEntity> addresses = candidates.stream().filter(e -> e.type() == PiiType.STREET_ADDRESS).toList();
        if (addresses.isEmpty()) {
            return;
        }
        candidates.removeIf(e -> e.type() == PiiType.PHONE && e.score() < 0.9 && addresses.stream()
                .anyMatch(a -> a.start() <= e.start() && e.end() < a.end()));
    }

    /**
     * "+43 663 085409097", "+358 50 9914": the national part of a number with a country code may pass the Luhn
     * check or have an SSN's shape, and card and SSN outrank a phone. A card or SSN that starts after the "+" or
     * "00" of a phone and ends inside it is that phone's national number.
     */
    private static void dropDigitsInsideInternationalPhones(List<PiiEntity> candidates) {
        List<PiiEntity> international = candidates.stream()
                .filter(e -> e.type() == PiiType.PHONE && PhoneRecognizer.international(e.value())).toList();
        if (international.isEmpty()) {
            return;
        }
        candidates.removeIf(e -> (e.type() == PiiType.CREDIT_CARD || e.type() == PiiType.US_SSN) && international
                .stream().anyMatch(p -> p.start() < e.start() && e.end() <= p.end()));
    }

    /** Non-overlapping entities sorted by start offset. */
    public List<PiiEntity> scan(String text) {
        List<Span> protectedSpans = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            protectedSpans.add(new Span(m.start(), m.end()));
        }
        List<PiiEntity> candidates = new ArrayList<>();
        for (PiiRecognizer r : recognizers) {
            for (PiiEntity e : r.find(text)) {
                if (protectedSpans.stream().noneMatch(p -> p.overlaps(e.span()))) {
                    candidates.add(e);
                }
            }
        }
        dropPhonesInsideAddresses(candidates);
        dropDigitsInsideInternationalPhones(candidates);
        candidates.sort(PREFERENCE);
        List<PiiEntity> kept = new ArrayList<>();
        for (PiiEntity c : candidates) {
            if (kept.stream().noneMatch(k -> k.span().overlaps(c.span()))) {
                kept.add(c);
            }
        }
        kept.sort(Comparator.comparingInt(PiiEntity::start));
        return kept;
    }
}
