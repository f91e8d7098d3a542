package dev.steward.store.audit;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an audit event records: one value per change the API offers, named {@code <thing>.<what happened>}. The set is
 * closed so a listing can be filtered by it and a reader knows every kind there is.
 */
public enum AuditAction {
    /** The operator created a tenant with its first admin key ({@code POST /v1/admin/tenants}). */
    TENANT_CREATED("tenant.created"),
    /** The operator gave a tenant its own daily token budget, or the deployment's again ({@code PATCH /v1/admin/tenants/{tenant}}). */
    TENANT_BUDGET_SET("tenant.budget_set"),
    /** The operator issued a tenant a further API key ({@code POST /v1/admin/tenants/{tenant}/keys}). */
    API_KEY_CREATED("api_key.created"),
    /** An admin saved or replaced a vendor connection ({@code PUT /v1/connections/{vendor}}). */
    CONNECTION_SAVED("connection.saved"),
    /** An admin removed a vendor connection ({@code DELETE /v1/connections/{vendor}}). */
    CONNECTION_REMOVED("connection.removed"),
    /** An admin saved or replaced a webhook ({@code PUT /v1/webhooks/{source}}). */
    WEBHOOK_SAVED("webhook.saved"),
    /** An admin removed a webhook ({@code DELETE /v1/webhooks/{source}}). */
    WEBHOOK_REMOVED("webhook.removed"),
    /** An admin published a new policy version ({@code PUT /v1/policy}). */
    POLICY_PUBLISHED("policy.published"),
    /** A reviewer or admin approved, edited or rejected a proposed tool call ({@code POST /v1/reviews/{id}/decision}). */
    REVIEW_DECIDED("review.decided"),
    /** An admin removed a document ({@code DELETE /v1/documents/{id}}). */
    DOCUMENT_REMOVED("document.removed");

    private final String wire;

    AuditAction(String wire) {
        this.wire = wire;
    }

    /** The name the API and the CLI use, e.g. {@code connection.saved}. */
    public String wire() {
        return wire;
    }

    /** The action named {@code wire} (as {@link #wire()} spells it), if there is one. */
    public static Optional<AuditAction> parse(String wire) {
        String name = wire == null ? "" : wire.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.wire.equals(name)).findFirst();
    }

    /** Every action's wire name, comma-separated, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(AuditAction::wire).collect(Collectors.joining(", "));
    }
}
