package dev.steward.store.policy;

import dev.steward.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One stored version of a tenant's policy: the Cedar text and email domain allowlist as the admin saved them (the
 * store does not interpret either; the policy engine validates before saving), who saved it, when, and why.
 * Versions count from 1; a tenant with no stored version uses the built-in baseline.
 */
public record PolicyVersion(TenantId tenant, long version, String source, List<String> emailDomains, String author,
        String comment, Instant createdAt) {
    public PolicyVersion {
        Objects.requireNonNull(tenant, "tenant");
        if (version < 1) {
            throw new IllegalArgumentException("stored policy versions start at 1, got " + version);
        }
        Objects.requireNonNull(source, "source");
        emailDomains = List.copyOf(emailDomains);
        Objects.requireNonNull(author, "author");
        comment = comment == null ? "" : comment;
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
