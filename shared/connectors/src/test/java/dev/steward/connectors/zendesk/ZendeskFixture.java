package dev.steward.connectors.zendesk;

import dev.steward.connectors.Tool;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.http.FakeVendorServer;
import dev.steward.connectors.http.FakeZendesk;
import dev.steward.connectors.http.VendorTestSupport;
import dev.steward.core.tenant.TenantId;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Zendesk tools' test bed, registered as a static extension: DynamoDB Local with the connections of Acme and Globex
 * (Initech has none), and a {@link FakeZendesk} that knows both agents and {@code tickets}, started before all tests,
 * its record of requests cleared before each.
 */
final class ZendeskFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    static final TenantId INITECH = TenantId.of("initech");
    static final String ACME_TOKEN = "acme-zendesk-api-token-0001";
    static final String GLOBEX_TOKEN = "globex-zendesk-api-token-02";

    private final Set<Long> tickets;
    private VendorTestSupport support;
    private FakeZendesk zendesk;
    private FakeVendorServer server;

    ZendeskFixture(Set<Long> tickets) {
        this.tickets = Set.copyOf(tickets);
    }

    VendorTestSupport support() {
        return support;
    }

    FakeZendesk zendesk() {
        return zendesk;
    }

    FakeVendorServer server() {
        return server;
    }

    /** The tool {@code name} of a Zendesk connector that sends to the fake Zendesk. */
    Tool tool(String name) {
        return tool(name, server.baseUrl(), Duration.ofSeconds(5));
    }

    /** The tool {@code name} of a Zendesk connector that sends to {@code base} with {@code timeout}. */
    Tool tool(String name, URI base, Duration timeout) {
        VendorEndpoints endpoints = new VendorEndpoints(Optional.of(base), VendorEndpoints.HUBSPOT_API, timeout);
        return VendorTestSupport.named(new ZendeskConnector(endpoints, support.stores().connections(),
                new ExternalHttpWrite(support.stores().idempotency(), Clock.systemUTC(), timeout),
                new ExternalHttpRead(Clock.systemUTC(), timeout)).tools(), name);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        support = new VendorTestSupport();
        zendesk = new FakeZendesk(Map.of("agent@acme.test", ACME_TOKEN, "help@globex.test", GLOBEX_TOKEN), tickets);
        server = new FakeVendorServer(zendesk);
        support.connect(ACME, "zendesk", Map.of("subdomain", "acme", "email", "agent@acme.test"), ACME_TOKEN);
        support.connect(GLOBEX, "zendesk", Map.of("subdomain", "globex", "email", "help@globex.test"), GLOBEX_TOKEN);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
        support.close();
    }
}
