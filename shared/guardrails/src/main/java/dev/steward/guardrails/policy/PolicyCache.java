package dev.steward.guardrails.policy;

import dev.steward.core.tenant.TenantId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled policies by (tenant, version), so a process compiles each stored version once (compiling parses and
 * validates: ~10 ms, a decision ~1 ms). Stored versions never change, so the pair identifies the text. Holds at
 * most {@code capacity} policies, evicting the least recently used. Thread-safe. A tenant is part of every key:
 * one tenant's entry is never returned for another.
 */
public final class PolicyCache {
    private record Key(TenantId tenant, long version) {}

    private final Map<Key, TenantPolicy> entries;

    public PolicyCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, TenantPolicy> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The compiled stored version, compiling it on first use; version 0 is the baseline.
     *
     * @throws InvalidPolicyException when the stored text no longer validates (callers fail closed)
     */
    public TenantPolicy get(TenantId tenant, long version, String source, Collection<String> emailDomains) {
        Key key = new Key(tenant, version);
        synchronized (entries) {
            TenantPolicy hit = entries.get(key);
            if (hit != null) {
                return hit;
            }
        }
        TenantPolicy compiled = version == 0 ? TenantPolicy.baseline(tenant) : TenantPolicy.compile(tenant, version, source, emailDomains);
        synchronized (entries) {
            return entries.computeIfAbsent(key, k -> compiled);
        }
    }

    /** The baseline of a tenant that stored no policy. */
    public TenantPolicy baseline(TenantId tenant) {
        return get(tenant, 0, null, null);
    }
}
