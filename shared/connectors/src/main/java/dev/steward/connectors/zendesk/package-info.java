/**
 * The Zendesk Support connector: {@code zendesk_comment} (a public reply or an internal note on a ticket), with each
 * tenant's own Zendesk connection ({@code email/token} basic auth).
 */
package dev.steward.connectors.zendesk;
