/**
 * The Zendesk Support connector: {@code zendesk_comment} (a public reply or an internal note on a ticket) and
 * {@code zendesk_read_ticket} (a ticket and its newest comments), with each tenant's own Zendesk connection
 * ({@code email/token} basic auth).
 */
package dev.steward.connectors.zendesk;
