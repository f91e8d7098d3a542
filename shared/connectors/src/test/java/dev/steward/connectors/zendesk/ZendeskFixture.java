package dev.steward.connectors.zendesk;

import dev.steward.connectors.Tool;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.http.FakeZendesk;
import dev.steward.connectors.http.VendorFixture;
import dev.steward.connectors.http.VendorTestSupport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Zendesk tools' test bed: the connections of Acme and Globex (and not Initech) and a {@link FakeZendesk} that
 * knows both agents and {@code tickets}.
 */
final class ZendeskFixture extends VendorFixture<FakeZendesk> {
    static final String ACME_TOKEN = "acme-zendesk-api-token-0001";
    static final String GLOBEX_TOKEN = "globex-zendesk-api-token-02";

    ZendeskFixture(Set<Long> tickets) {
        super(new FakeZendesk(Map.of("agent@acme.test", ACME_TOKEN, "help@globex.test", GLOBEX_TOKEN), tickets));
    }

    @Override
    protected void connect(VendorTestSupport support) {
        support.connect(ACME, "zendesk", Map.of("subdomain", "acme", "email", "agent@acme.test"), ACME_TOKEN);
        support.connect(GLOBEX, "zendesk", Map.of("subdomain", "globex", "email", "help@globex.test"), GLOBEX_TOKEN);
    }

    @Override
    public Tool tool(String name, URI base, Duration timeout) {
        VendorEndpoints endpoints = new VendorEndpoints(Optional.of(base), VendorEndpoints.HUBSPOT_API, VendorEndpoints.SLACK_API,
                VendorEndpoints.GOOGLE_OAUTH, VendorEndpoints.GOOGLE_CALENDAR_API, timeout);
        return VendorTestSupport.named(new ZendeskConnector(endpoints, support().stores().connections(),
                new ExternalHttpWrite(support().stores().idempotency(), Clock.systemUTC(), timeout),
                new ExternalHttpRead(Clock.systemUTC(), timeout)).tools(), name);
    }
}
