/**
 * The Slack connector: {@code slack_post_message} (a message to a channel or a thread, as the workspace's bot) and
 * {@code slack_read_channel} (a channel's newest messages), with each tenant's own bot token (Bearer). Slack's Web API
 * answers HTTP 200 with {@code "ok": false} for most failures, which {@code SlackApi} sorts into refusals, rate limits and
 * failures whose outcome is unknown.
 */
package dev.steward.connectors.slack;
