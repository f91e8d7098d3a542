package dev.steward.store;

import dev.steward.store.agent.AgentStore;
import dev.steward.store.audit.AuditStore;
import dev.steward.store.connection.ConnectionStore;
import dev.steward.store.document.DocumentStore;
import dev.steward.store.idempotency.IdempotencyStore;
import dev.steward.store.policy.PolicyStore;
import dev.steward.store.review.ReviewStore;
import dev.steward.store.usage.UsageStore;
import dev.steward.store.vault.VaultStore;
import dev.steward.store.run.RunStore;
import dev.steward.store.secret.AesGcmSecretSealer;
import dev.steward.store.secret.SecretSealer;
import dev.steward.store.tenant.TenantStore;
import dev.steward.store.webhook.WebhookStore;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Every repository over one table. Built once per process (a Lambda's init phase, or local mode's start). */
public record Stores(StewardTable table, TenantStore tenants, AgentStore agents, DocumentStore documents, RunStore runs,
        ReviewStore reviews, IdempotencyStore idempotency, UsageStore usage, VaultStore vaults, PolicyStore policies,
        WebhookStore webhooks, ConnectionStore connections, AuditStore audit) {

    /** Every repository over {@code table}, vendor credentials sealed with {@code sealer}. */
    public static Stores over(StewardTable table, SecretSealer sealer) {
        return new Stores(table, new TenantStore(table), new AgentStore(table), new DocumentStore(table), new RunStore(table),
                new ReviewStore(table), new IdempotencyStore(table), new UsageStore(table),
                new VaultStore(table), new PolicyStore(table), new WebhookStore(table, sealer), new ConnectionStore(table, sealer),
                new AuditStore(table));
    }

    /**
     * Every repository over {@code table}, vendor credentials sealed under a random key held only by this process:
     * for tests, since what it seals cannot be opened after the process ends.
     */
    public static Stores over(StewardTable table) {
        return over(table, AesGcmSecretSealer.withRandomKey());
    }

    /**
     * On AWS: the table named by {@code TABLE_NAME}, with the default credential and region chain, and the sealer
     * {@link SecretSealer#fromEnvironment} chooses.
     */
    public static Stores fromEnvironment(Map<String, String> env) {
        String name = env.get("TABLE_NAME");
        if (name == null || name.isBlank()) {
            throw new IllegalStateException("TABLE_NAME is not set");
        }
        DynamoDbClient client = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        return over(new StewardTable(client, name), SecretSealer.fromEnvironment(env));
    }
}
