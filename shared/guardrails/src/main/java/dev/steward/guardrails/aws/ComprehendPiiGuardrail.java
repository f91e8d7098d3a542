package dev.steward.guardrails.aws;

import dev.steward.core.error.PermanentException;
import dev.steward.guardrails.Finding;
import dev.steward.guardrails.Guardrail;
import dev.steward.guardrails.GuardrailInput;
import dev.steward.guardrails.Span;
import dev.steward.guardrails.Verdict;
import dev.steward.guardrails.pii.PiiEntity;
import dev.steward.guardrails.pii.PiiType;
import dev.steward.guardrails.pii.PiiVault;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.comprehend.ComprehendClient;
import software.amazon.awssdk.services.comprehend.model.DetectPiiEntitiesResponse;

/**
 * PII redaction by Amazon Comprehend {@code DetectPiiEntities}, into the run's {@link PiiVault} with the same
 * placeholders the local {@link dev.steward.guardrails.pii.PiiGuardrail} issues ({@code <EMAIL_1>}), so the two are
 * interchangeable and re-hydration works the same. One instance per run; an input of another tenant or run throws.
 *
 * <p>Comprehend types kept (others, e.g. {@code DATE_TIME}, {@code URL}, {@code PASSWORD}, are ignored because
 * {@link PiiType} has no place for them): {@code EMAIL}, {@code PHONE}, {@code SSN} -> {@code US_SSN},
 * {@code CREDIT_DEBIT_NUMBER} -> {@code CREDIT_CARD}, {@code INTERNATIONAL_BANK_ACCOUNT_NUMBER} -> {@code IBAN},
 * {@code IP_ADDRESS}, {@code ADDRESS} -> {@code STREET_ADDRESS}, {@code NAME} -> {@code PERSON}. Entities below the
 * minimum score are ignored. Comprehend's offsets count code points; they are converted to UTF-16 indices. Texts
 * over the 100 KB request limit are sent in pieces cut at paragraph, line, sentence or word boundaries, and the
 * entities' offsets are shifted back onto the whole text. Placeholders already in the text are never redacted.
 *
 * <p>Failures: throttling, 5xx and timeouts throw {@link dev.steward.core.error.TransientException}, other errors
 * {@link dev.steward.core.error.PermanentException}. Thread-safe when the client is.
 */
public final class ComprehendPiiGuardrail implements Guardrail {
    public static final String NAME = "comprehend-pii";
    static final int MAX_REQUEST_BYTES = 100_000;
    private static final Pattern PLACEHOLDER = Pattern.compile("<(?:[A-Z]+_)*[A-Z]+_\\d+>");
    private final ComprehendClient client;
    private final PiiVault vault;
    private final String languageCode;
    private final double minScore;

    public ComprehendPiiGuardrail(ComprehendClient client, PiiVault vault, String languageCode, double minScore) {
        this.client = Objects.requireNonNull(client, "client");
        this.vault = Objects.requireNonNull(vault, "vault");
        this.languageCode = Objects.requireNonNull(languageCode, "languageCode");
        if (!(minScore >= 0 && minScore <= 1)) {
            throw new IllegalArgumentException("minScore must be in [0, 1]: " + minScore);
        }
        this.minScore = minScore;
    }

    @Override
    public String name() {
        return NAME;
    }

    public PiiVault vault() {
        return vault;
    }

    /** Our type for a Comprehend PII entity type, empty for the types we do not redact. */
    static Optional<PiiType> typeOf(String comprehendType) {
        return Optional.ofNullable(switch (comprehendType) {
            case "EMAIL" -> PiiType.EMAIL;
            case "PHONE" -> PiiType.PHONE;
            case "SSN" -> PiiType.US_SSN;
            case "CREDIT_DEBIT_NUMBER" -> PiiType.CREDIT_CARD;
            case "INTERNATIONAL_BANK_ACCOUNT_NUMBER" -> PiiType.IBAN;
            case "IP_ADDRESS" -> PiiType.IP_ADDRESS;
            case "ADDRESS" -> PiiType.STREET_ADDRESS;
            case "NAME" -> PiiType.PERSON;
            default -> null;
        });
    }

    @Override
    public Verdict check(GuardrailInput input) {
        if (!input.tenant().equals(vault.tenant()) || !input.run().equals(vault.run())) {
            throw new IllegalArgumentException("input of " + input.tenant() + "/" + input.run()
                    + " given to the Comprehend PII guardrail of " + vault.tenant() + "/" + vault.run());
        }
        String text = input.text();
        List<PiiEntity> entities = withoutOverlaps(detect(text), placeholders(text));
        if (entities.isEmpty()) {
            return Verdict.allow();
        }
        StringBuilder out = new StringBuilder(text.length());
        int pos = 0;
        Map<PiiType, List<PiiEntity>> byType = new EnumMap<>(PiiType.class);
        for (PiiEntity e : entities) {
            out.append(text, pos, e.start()).append(vault.placeholderFor(e.type(), e.value()));
            pos = e.end();
            byType.computeIfAbsent(e.type(), t -> new ArrayList<>()).add(e);
        }
        out.append(text, pos, text.length());
        List<Finding> findings = new ArrayList<>();
        byType.forEach((type, found) -> findings.add(new Finding(NAME, type.name(),
                found.stream().mapToDouble(PiiEntity::score).max().orElseThrow(),
                found.stream().map(PiiEntity::span).toList(),
                found.size() + " " + type.label() + " redacted at " + input.stage())));
        return new Verdict.Redact(out.toString(), findings);
    }

    private List<PiiEntity> detect(String text) {
        List<PiiEntity> found = new ArrayList<>();
        for (TextChunks.Chunk chunk : TextChunks.split(text, MAX_REQUEST_BYTES)) {
            DetectPiiEntitiesResponse response;
            try {
                response = client.detectPiiEntities(r -> r.text(chunk.text()).languageCode(languageCode));
            } catch (SdkException e) {
                throw AwsFailures.classify("Comprehend DetectPiiEntities", e);
            }
            for (var entity : response.entities()) {
                Optional<PiiType> type = typeOf(entity.typeAsString());
                if (type.isEmpty() || entity.score() == null || entity.score() < minScore) {
                    continue;
                }
                found.add(toEntity(type.get(), entity, chunk, text));
            }
        }
        return found;
    }

    private static PiiEntity toEntity(PiiType type, software.amazon.awssdk.services.comprehend.model.PiiEntity entity,
            TextChunks.Chunk chunk, String text) {
        String piece = chunk.text();
        int codePoints = piece.codePointCount(0, piece.length());
        Integer begin = entity.beginOffset();
        Integer end = entity.endOffset();
        if (begin == null || end == null || begin < 0 || end <= begin || end > codePoints) {
            throw new PermanentException("Comprehend returned a " + entity.typeAsString()
                    + " entity at [" + begin + ", " + end + ") outside a text of " + codePoints + " code points");
        }
        int start = chunk.start() + piece.offsetByCodePoints(0, begin);
        int stop = chunk.start() + piece.offsetByCodePoints(0, end);
        return new PiiEntity(type, new Span(start, stop), text.substring(start, stop), entity.score());
    }

    private static List<Span> placeholders(String text) {
        List<Span> spans = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            spans.add(new Span(m.start(), m.end()));
        }
        return spans;
    }

    /**
     * Entities in text order with no two overlapping and none touching a placeholder: of two overlapping ones the
     * higher {@link PiiType#priority()} wins, then the longer.
     */
    private static List<PiiEntity> withoutOverlaps(List<PiiEntity> entities, List<Span> placeholders) {
        List<PiiEntity> ranked = new ArrayList<>(entities);
        ranked.sort(Comparator.comparingInt((PiiEntity e) -> -e.type().priority())
                .thenComparingInt(e -> -e.span().length()).thenComparing(PiiEntity::span));
        List<PiiEntity> kept = new ArrayList<>();
        for (PiiEntity e : ranked) {
            boolean free = placeholders.stream().noneMatch(p -> p.overlaps(e.span()))
                    && kept.stream().noneMatch(k -> k.span().overlaps(e.span()));
            if (free) {
                kept.add(e);
            }
        }
        kept.sort(Comparator.comparing(PiiEntity::span));
        return kept;
    }
}
