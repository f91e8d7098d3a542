package dev.steward.store.agent;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.tenant.TenantId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Agent templates read through a per-process cache: every run start (API) and every step (agent loop) needs its
 * agent, and a template changes rarely, so one read per agent per {@code ttl} replaces one store read per request.
 * An edit reaches a process within {@code ttl}; a missing agent is never cached, so a new one is seen at once.
 * Thread-safe.
 */
public final class AgentCatalog {
    /** How long a process keeps a template when nothing else is configured. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    private record Key(TenantId tenant, String name) {}

    private final LoadingCache<Key, AgentTemplate> cache;

    public AgentCatalog(AgentStore store, Duration ttl) {
        Objects.requireNonNull(store, "store");
        this.cache = Caffeine.newBuilder().expireAfterWrite(Objects.requireNonNull(ttl, "ttl")).maximumSize(10_000)
                .build(key -> store.find(key.tenant(), key.name()).orElse(null));
    }

    /** The TTL from {@code STEWARD_AGENT_CACHE_SECONDS} (whole seconds, 0 turns caching off), else {@link #DEFAULT_TTL}. */
    public static Duration ttlFrom(java.util.Map<String, String> env) {
        String seconds = env.get("STEWARD_AGENT_CACHE_SECONDS");
        if (seconds == null || seconds.isBlank()) {
            return DEFAULT_TTL;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(seconds.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("STEWARD_AGENT_CACHE_SECONDS must be a whole number of seconds, got '" + seconds + "'", e);
        }
    }

    public Optional<AgentTemplate> find(TenantId tenant, String name) {
        return Optional.ofNullable(cache.get(new Key(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(name, "name"))));
    }
}
