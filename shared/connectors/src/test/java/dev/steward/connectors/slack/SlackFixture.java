package dev.steward.connectors.slack;

import dev.steward.connectors.Tool;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.http.FakeSlack;
import dev.steward.connectors.http.VendorFixture;
import dev.steward.connectors.http.VendorTestSupport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Slack tools' test bed: the connections of Acme and Globex (and not Initech) and a {@link FakeSlack} that knows both
 * bot tokens and a workspace's channels: {@code #deals} and {@code #support} (the bot a member), {@code #random} (not a
 * member), {@code #old-news} (archived) and a private {@code #board} the bot is not in. The tools' clock is fixed at
 * {@link #CLOCK}.
 */
final class SlackFixture extends VendorFixture<FakeSlack> {
    static final String ACME_TOKEN = "xoxb-1111111111-2222222222-AcmeBotTokenSecret01";
    static final String GLOBEX_TOKEN = "xoxb-3333333333-4444444444-GlobexBotTokenSecret2";
    static final String DEALS = "C0DEALS001";
    static final String SUPPORT = "C0SUPPORT1";
    static final String RANDOM = "C0RANDOM01";
    static final String OLD_NEWS = "C0OLDNEWS1";
    static final String BOARD = "G0BOARD001";
    static final Clock CLOCK = Clock.fixed(VendorTestSupport.T0.plusMillis(250), ZoneOffset.UTC);

    SlackFixture() {
        super(new FakeSlack(Set.of(ACME_TOKEN, GLOBEX_TOKEN), List.of(
                new FakeSlack.Channel(DEALS, "deals", false, true, false),
                new FakeSlack.Channel(SUPPORT, "support", false, true, false),
                new FakeSlack.Channel(RANDOM, "random", false, false, false),
                new FakeSlack.Channel(OLD_NEWS, "old-news", false, true, true),
                new FakeSlack.Channel(BOARD, "board", true, false, false))));
    }

    @Override
    protected void connect(VendorTestSupport support) {
        support.connect(ACME, "slack", Map.of(), ACME_TOKEN);
        support.connect(GLOBEX, "slack", Map.of(), GLOBEX_TOKEN);
    }

    @Override
    public Tool tool(String name, URI base, Duration timeout) {
        VendorEndpoints endpoints = new VendorEndpoints(Optional.empty(), VendorEndpoints.HUBSPOT_API, base, VendorEndpoints.GOOGLE_OAUTH,
                VendorEndpoints.GOOGLE_CALENDAR_API, timeout);
        return VendorTestSupport.named(new SlackConnector(endpoints, support().stores().connections(),
                new ExternalHttpWrite(support().stores().idempotency(), CLOCK, timeout), new ExternalHttpRead(CLOCK, timeout)).tools(), name);
    }
}
