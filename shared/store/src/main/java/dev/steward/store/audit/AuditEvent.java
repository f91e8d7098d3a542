package dev.steward.store.audit;

import dev.steward.core.tenant.TenantId;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One change to a tenant's settings, with its own random {@code id} (12 hex digits): who made it ({@code actor}: the API key id {@code key:<id>}, or the operator's IAM
 * ARN; {@code role}: the key's role, or {@code operator}), what ({@code action}) to which thing ({@code target}: a
 * vendor, a key id, a review id, a policy version), when, in which request, and a few words of detail.
 *
 * <p>The detail never holds a credential. Callers put only what the API shows anyway (a vendor's non-secret fields, an
 * agent's name, a decision); as a second line of defence the record refuses detail names that speak of secrets and
 * values that look like one of Steward's own credentials (an API key, a sealed value), and cuts long values, so a
 * slip in a caller fails its request instead of writing a secret into an append-only trail.
 */
public record AuditEvent(String id, TenantId tenant, Instant at, String actor, String role, AuditAction action, String target,
        Map<String, String> detail, String requestId) {
    /** Most detail entries one event holds. */
    public static final int MAX_DETAIL_ENTRIES = 12;
    /** Longest detail value kept; longer ones are cut, ending in an ellipsis. */
    public static final int MAX_DETAIL_CHARS = 300;
    private static final Pattern DETAIL_NAME = Pattern.compile("[a-z][A-Za-z0-9]{0,39}");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(secret|token|password|credential|apikey|privatekey).*");
    private static final Pattern CREDENTIAL_VALUE = Pattern.compile(".*(stw_[a-z][a-z0-9-]{1,39}_[A-Za-z0-9]{12}_[A-Za-z0-9]{32}|steward:sealed:).*",
            Pattern.DOTALL);

    private static final Pattern ID = Pattern.compile("[0-9a-f]{12}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public AuditEvent {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("an audit event's id is 12 hex digits, not '" + id + "'");
        }
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(at, "at");
        actor = required(actor, "actor");
        role = required(role, "role");
        Objects.requireNonNull(action, "action");
        target = required(target, "target");
        detail = checked(detail == null ? Map.of() : detail);
        requestId = requestId == null || requestId.isBlank() ? null : requestId;
    }

    /** A new event with a fresh random id. */
    public static AuditEvent of(TenantId tenant, Instant at, String actor, String role, AuditAction action, String target,
            Map<String, String> detail, String requestId) {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return new AuditEvent(HexFormat.of().formatHex(bytes), tenant, at, actor, role, action, target, detail, requestId);
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an audit event needs its " + name);
        }
        return value;
    }

    private static Map<String, String> checked(Map<String, String> detail) {
        if (detail.size() > MAX_DETAIL_ENTRIES) {
            throw new IllegalArgumentException("an audit event holds at most " + MAX_DETAIL_ENTRIES + " detail entries, not " + detail.size());
        }
        Map<String, String> out = new TreeMap<>();
        detail.forEach((name, value) -> {
            if (name == null || !DETAIL_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("audit detail names are short camelCase words, not '" + name + "'");
            }
            if (SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches()) {
                throw new IllegalArgumentException("audit detail '" + name + "' names a secret; an audit event never holds one");
            }
            Objects.requireNonNull(value, () -> "audit detail '" + name + "' has no value");
            if (CREDENTIAL_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("audit detail '" + name + "' holds a credential; an audit event never holds one");
            }
            out.put(name, value.length() <= MAX_DETAIL_CHARS ? value : value.substring(0, MAX_DETAIL_CHARS - 1) + "…");
        });
        return Collections.unmodifiableMap(out);
    }
}
