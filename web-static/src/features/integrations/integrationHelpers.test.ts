import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import {
  CONNECTION_TOOLS,
  changeErrorMessage,
  checkConnectionForm,
  connectionToolsText,
  checkWebhookForm,
  eventsLabel,
  hookUrl,
  isZendeskSubdomain,
  parseEvents,
  vendorViews,
} from './integrationHelpers';
// The API's own check, read as text (Vite's ?raw), so a change there fails here until both agree again.
import vendorJava from '../../../../shared/connectors/src/main/java/dev/steward/connectors/connection/Vendor.java?raw';
// The connectors' own tool classes, one folder per vendor, read the same way: a tool added there fails here until listed.
const connectorSources = import.meta.glob<string>('../../../../shared/connectors/src/main/java/dev/steward/connectors/{zendesk,hubspot,slack,google}/*.java', {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('vendor views', () => {
  const hook = {
    source: 'hubspot',
    agent: 'support-agent',
    events: ['ticket.creation'],
    path: '/v1/hooks/acme/hubspot',
    updatedAt: '2025-03-03T10:00:00Z',
    updatedBy: 'key:k1',
  };
  const connection = { vendor: 'zendesk', subdomain: 'acme', email: 'agent@acme.com', tokenSet: true, updatedAt: '2025-03-04T09:30:00Z', updatedBy: 'key:k2' };

  it('has Zendesk, HubSpot, Slack then Google Calendar, each with its webhook (none for Slack or Google Calendar, which take none) and connection or null', () => {
    const views = vendorViews([hook, { ...hook, source: 'slack', path: '/v1/hooks/acme/slack' }], [connection, { vendor: 'slack', tokenSet: true }]);
    expect(views).toEqual([
      {
        vendor: 'zendesk',
        label: 'Zendesk',
        webhook: null,
        connection: {
          fields: [
            { name: 'subdomain', label: 'Subdomain', value: 'acme' },
            { name: 'email', label: 'Agent email', value: 'agent@acme.com' },
          ],
          tokenSet: true,
          updatedAt: '2025-03-04T09:30:00Z',
          updatedBy: 'key:k2',
        },
      },
      {
        vendor: 'hubspot',
        label: 'HubSpot',
        webhook: { agent: 'support-agent', events: ['ticket.creation'], path: '/v1/hooks/acme/hubspot', updatedAt: '2025-03-03T10:00:00Z', updatedBy: 'key:k1' },
        connection: null,
      },
      {
        vendor: 'slack',
        label: 'Slack',
        webhook: null,
        connection: { fields: [], tokenSet: true, updatedAt: null, updatedBy: null },
      },
      { vendor: 'google_calendar', label: 'Google Calendar', webhook: null, connection: null },
    ]);
  });

  it('never copies a secret or token, even one a server sent by mistake', () => {
    const leaky = vendorViews([{ ...hook, secret: 'hubspot-client-secret-123' } as never], [{ ...connection, token: 'zd-token-abcdef' } as never]);
    const shown = JSON.stringify(leaky);
    expect(shown).not.toContain('hubspot-client-secret-123');
    expect(shown).not.toContain('zd-token-abcdef');
    expect(shown).toContain('agent@acme.com');
  });

  it('leaves out vendors it does not know, reads missing fields as empty and an absent tokenSet as false', () => {
    const views = vendorViews([{ source: 'salesforce', agent: 'x', events: [], path: '/p' }, { source: 'zendesk' }], [{ vendor: 'hubspot' }]);
    expect(views.map((v) => v.vendor)).toEqual(['zendesk', 'hubspot', 'slack', 'google_calendar']);
    expect(views[0]!.webhook).toEqual({ agent: '', events: [], path: '', updatedAt: null, updatedBy: null });
    expect(views[1]!.connection).toEqual({ fields: [], tokenSet: false, updatedAt: null, updatedBy: null });
    expect(vendorViews(undefined, null).map((v) => [v.webhook, v.connection])).toEqual([
      [null, null],
      [null, null],
      [null, null],
      [null, null],
    ]);
  });

  it('shows a Google Calendar connection by client id and calendar, never its secrets, and never a webhook for it', () => {
    const views = vendorViews(
      [{ source: 'google_calendar', agent: 'sales-agent', events: [], path: '/v1/hooks/acme/google_calendar' }],
      [
        {
          vendor: 'google_calendar',
          client_id: '1234-abc.apps.googleusercontent.com',
          calendar_id: 'primary',
          tokenSet: true,
          client_secret: 'GOCSPX-leaked',
          refresh_token: '1//0g-leaked',
        } as never,
      ],
    );
    const google = views.find((v) => v.vendor === 'google_calendar')!;
    expect(google.webhook).toBeNull();
    expect(google.connection).toEqual({
      fields: [
        { name: 'client_id', label: 'OAuth client id', value: '1234-abc.apps.googleusercontent.com' },
        { name: 'calendar_id', label: 'Calendar', value: 'primary' },
      ],
      tokenSet: true,
      updatedAt: null,
      updatedBy: null,
    });
    expect(JSON.stringify(views)).not.toMatch(/leaked/);
  });

  it('labels the events and builds the hook URL on the app origin', () => {
    expect(eventsLabel([])).toBe('every event type');
    expect(eventsLabel(['a', 'b'])).toBe('a, b');
    expect(hookUrl('/v1/hooks/acme/zendesk', 'https://steward.example.com/')).toBe('https://steward.example.com/v1/hooks/acme/zendesk');
    expect(hookUrl('', 'https://x.test')).toBe('');
  });
});

describe('webhook form', () => {
  it('splits event types on commas, spaces and lines, dropping blanks and duplicates', () => {
    expect(parseEvents(' zen:event-type:ticket.created,\nzen:event-type:ticket.status_changed  zen:event-type:ticket.created ,, ')).toEqual([
      'zen:event-type:ticket.created',
      'zen:event-type:ticket.status_changed',
    ]);
    expect(parseEvents('  ')).toEqual([]);
  });

  it('builds the request with values stripped, and without events when none were typed', () => {
    expect(checkWebhookForm({ agent: ' support-agent ', secret: '  0123456789abcdef  ', events: '' })).toEqual({
      ok: true,
      request: { agent: 'support-agent', secret: '0123456789abcdef' },
    });
    expect(checkWebhookForm({ agent: 'a', secret: 'x'.repeat(512), events: 'ticket.creation' })).toEqual({
      ok: true,
      request: { agent: 'a', secret: 'x'.repeat(512), events: ['ticket.creation'] },
    });
  });

  it('refuses an empty agent or secret, and a secret outside 16 to 512 characters, naming each field', () => {
    expect(checkWebhookForm({ agent: ' ', secret: '', events: 'x' })).toEqual({
      ok: false,
      errors: { agent: 'Choose the agent the events start.', secret: 'Paste the signing secret.' },
    });
    expect(checkWebhookForm({ agent: 'a', secret: ' 0123456789abcde ', events: '' })).toEqual({
      ok: false,
      errors: { secret: 'The secret must have 16 to 512 characters; this one has 15.' },
    });
    expect(checkWebhookForm({ agent: 'a', secret: 'x'.repeat(513), events: '' }).ok).toBe(false);
  });
});

describe('connection tools', () => {
  it('lists every tool each vendor connection serves, as the connectors name them (shared/connectors)', () => {
    const declared: Record<string, string[]> = {};
    for (const [path, source] of Object.entries(connectorSources)) {
      const folder = /\/connectors\/(zendesk|hubspot|slack|google)\//.exec(path)![1]!;
      const vendor = folder === 'google' ? 'google_calendar' : folder;
      for (const m of source.matchAll(/static final String NAME = "([a-z_]+)";/g)) (declared[vendor] ??= []).push(m[1]);
    }
    expect(declared.hubspot).toContain('crm_read_record');
    expect(declared.zendesk).toContain('zendesk_read_ticket');
    expect(declared.slack).toContain('slack_post_message');
    expect(declared.google_calendar).toContain('calendar_find_free_time');
    for (const vendor of ['zendesk', 'hubspot', 'slack', 'google_calendar'] as const) expect([...CONNECTION_TOOLS[vendor]].sort(), vendor).toEqual(declared[vendor].sort());
  });

  it('names the tools in a sentence, the write first', () => {
    expect(connectionToolsText('hubspot')).toBe('crm_add_note and crm_read_record');
    expect(connectionToolsText('zendesk')).toBe('zendesk_comment and zendesk_read_ticket');
    expect(connectionToolsText('slack')).toBe('slack_post_message and slack_read_channel');
    expect(connectionToolsText('google_calendar')).toBe('calendar_create_event and calendar_find_free_time');
  });
});

describe('connection form', () => {
  it('accepts a subdomain that is one DNS label, in any case, as the API does', () => {
    for (const ok of ['acme', 'a', 'ACME', 'acme-support', '9lives', ` ${'a'.repeat(63)} `]) expect(isZendeskSubdomain(ok), ok).toBe(true);
    for (const bad of ['', '-acme', 'acme-', 'acme.zendesk.com', 'a_b', 'a b', 'a'.repeat(64), 'https://acme', 'ac/me', 'é'])
      expect(isZendeskSubdomain(bad), bad).toBe(false);
  });

  it("agrees with the API's own subdomain pattern (shared/connectors Vendor.java) on every sample", () => {
    const source = /Pattern SUBDOMAIN = Pattern\.compile\("((?:[^"\\]|\\.)*)"\)/.exec(vendorJava)?.[1];
    expect(source).toBeDefined();
    // Java's matches() is anchored; the API lower-cases and strips the value first.
    const api = new RegExp(`^(?:${source!.replace(/\\\\/g, '\\')})$`);
    const samples = ['acme', 'ACME', ' acme ', 'a', 'a-b', '-a', 'a-', 'a.b', 'a_b', '0', `${'x'.repeat(63)}`, `${'x'.repeat(64)}`, 'acme.zendesk.com', 'ü'];
    for (const sample of samples) expect(isZendeskSubdomain(sample), sample).toBe(api.test(sample.trim().toLowerCase()));
  });

  it('builds a Zendesk request with the subdomain lower-cased and values stripped', () => {
    expect(checkConnectionForm('zendesk', { subdomain: ' Acme ', email: ' agent@acme.com ', token: ' zd-token-0123 ' })).toEqual({
      ok: true,
      request: { subdomain: 'acme', email: 'agent@acme.com', token: 'zd-token-0123' },
    });
  });

  it('names every Zendesk field that is empty', () => {
    const check = checkConnectionForm('zendesk', { subdomain: '', email: '', token: '' });
    expect(check.ok).toBe(false);
    expect(check.ok ? [] : Object.keys(check.errors).sort()).toEqual(['email', 'subdomain', 'token']);
  });

  it('says to keep only the name when a whole Zendesk host is pasted, and refuses other non-labels', () => {
    expect(checkConnectionForm('zendesk', { subdomain: 'https://Acme.zendesk.com/', email: 'a@b.co', token: 'zd-token-0123' })).toEqual({
      ok: false,
      errors: { subdomain: 'Enter only the name before .zendesk.com: acme.' },
    });
    const dotted = checkConnectionForm('zendesk', { subdomain: 'acme.evil.test', email: 'a@b.co', token: 'zd-token-0123' });
    expect(dotted.ok ? '' : dotted.errors.subdomain).toMatch(/^The subdomain must be one name of letters, digits and hyphens/);
  });

  it('refuses an address without a domain and a token with spaces or under 8 characters', () => {
    expect(checkConnectionForm('zendesk', { subdomain: 'acme', email: 'agent@acme', token: 'zd token 0123' })).toEqual({
      ok: false,
      errors: {
        email: 'Enter an email address, e.g. agent@acme.com.',
        token: 'The Zendesk API token must be 8 to 1024 visible characters without spaces.',
      },
    });
    expect(checkConnectionForm('hubspot', { token: 'short' })).toEqual({
      ok: false,
      errors: { token: 'The HubSpot private app access token must be 8 to 1024 visible characters without spaces.' },
    });
  });

  it('sends only the token for HubSpot, whatever else the form holds', () => {
    expect(checkConnectionForm('hubspot', { subdomain: 'acme', email: 'x', token: ' pat-na1-0123 ' })).toEqual({ ok: true, request: { token: 'pat-na1-0123' } });
    expect(checkConnectionForm('hubspot', { token: '' })).toEqual({ ok: false, errors: { token: 'Paste the HubSpot private app access token.' } });
  });
});

describe('Slack connection form', () => {
  it('sends only a bot token, stripped', () => {
    expect(checkConnectionForm('slack', { subdomain: 'acme', token: ' xoxb-1234567890-0987654321-AbCdEf ' })).toEqual({
      ok: true,
      request: { token: 'xoxb-1234567890-0987654321-AbCdEf' },
    });
  });

  it('names the kind of Slack token pasted instead of a bot token, as the API does', () => {
    const problem = (token: string) => {
      const check = checkConnectionForm('slack', { token });
      return check.ok ? null : check.errors.token;
    };
    expect(problem('')).toBe("Paste the Slack app's Bot User OAuth Token (xoxb-…).");
    expect(problem('xoxp-1234567890-0987654321-AbCdEf')).toMatch(/^This is a user token \(xoxp-\)/);
    expect(problem('xapp-1-A0123-456-abcdef')).toMatch(/^This is an app-level token \(xapp-\)/);
    expect(problem('xoxb-123')).toMatch(/^The token must be the Slack app's Bot User OAuth Token/);
    expect(problem('pat-na1-0123-4567')).toMatch(/^The token must be the Slack app's Bot User OAuth Token/);
  });

  it("agrees with the API's own bot token pattern (shared/connectors Vendor.java) on every sample", () => {
    const source = /Pattern SLACK_BOT_TOKEN = Pattern\.compile\("((?:[^"\\]|\\.)*)"\)/.exec(vendorJava)?.[1];
    expect(source).toBeDefined();
    const api = new RegExp(`^(?:${source!.replace(/\\\\/g, '\\')})$`);
    const samples = ['xoxb-12345678', 'xoxb-1234567', 'xoxb-1234567890-0987654321-AbCdEf', 'xoxb-12345678_', 'xoxb-1234 5678', 'xoxp-12345678', 'XOXB-12345678', `xoxb-${'a'.repeat(1019)}`, `xoxb-${'a'.repeat(1020)}`];
    for (const sample of samples) expect(checkConnectionForm('slack', { token: sample }).ok, sample).toBe(api.test(sample));
  });
});

describe('Google Calendar connection form', () => {
  const good = {
    client_id: ' 1234567890-abc.apps.googleusercontent.com ',
    client_secret: ' GOCSPX-0123456789 ',
    refresh_token: ' 1//0g-refresh-0123 ',
  };

  it('sends the client id, secret and refresh token stripped, and the calendar only when one was typed', () => {
    expect(checkConnectionForm('google_calendar', { ...good, calendar_id: '', token: 'ignored-token' })).toEqual({
      ok: true,
      request: { client_id: '1234567890-abc.apps.googleusercontent.com', client_secret: 'GOCSPX-0123456789', refresh_token: '1//0g-refresh-0123' },
    });
    const team = checkConnectionForm('google_calendar', { ...good, calendar_id: ' team@group.calendar.google.com ' });
    expect(team.ok && 'calendar_id' in team.request ? team.request.calendar_id : null).toBe('team@group.calendar.google.com');
  });

  it('names every field that is missing or malformed, as the API does', () => {
    const empty = checkConnectionForm('google_calendar', {});
    expect(empty.ok ? [] : Object.keys(empty.errors).sort()).toEqual(['client_id', 'client_secret', 'refresh_token']);
    expect(checkConnectionForm('google_calendar', { ...good, client_id: 'my-app', calendar_id: 'https://evil', refresh_token: 'short' })).toEqual({
      ok: false,
      errors: {
        client_id: 'The client id ends in .apps.googleusercontent.com, e.g. 1234567890-abc.apps.googleusercontent.com.',
        calendar_id: "Enter primary (the account's own calendar) or a calendar's id, e.g. team@group.calendar.google.com.",
        refresh_token: 'The refresh token must be 8 to 1024 visible characters without spaces.',
      },
    });
  });

  it("agrees with the API's client id and calendar patterns (shared/connectors Vendor.java) on every sample", () => {
    const pattern = (name: string) => {
      const source = new RegExp(`Pattern ${name} = Pattern\\.compile\\("((?:[^"\\\\]|\\\\.)*)"\\)`).exec(vendorJava)?.[1];
      expect(source, name).toBeDefined();
      return new RegExp(`^(?:${source!.replace(/\\\\/g, '\\')})$`);
    };
    const clientIds = ['1-a.apps.googleusercontent.com', 'x.apps.googleusercontent.com.evil.com', 'apps.googleusercontent.com', 'a b.apps.googleusercontent.com'];
    for (const id of clientIds) {
      const form = checkConnectionForm('google_calendar', { ...good, client_id: id });
      expect(!(!form.ok && form.errors.client_id), id).toBe(pattern('GOOGLE_CLIENT_ID').test(id));
    }
    for (const id of ['primary', 'team@group.calendar.google.com', 'a@b', '../x', 'primary2', 'a@b/c']) {
      const form = checkConnectionForm('google_calendar', { ...good, calendar_id: id });
      expect(!(!form.ok && form.errors.calendar_id), id).toBe(pattern('CALENDAR_ID').test(id));
    }
  });
});

describe('change errors', () => {
  it('tells a non-admin that only an admin can change integrations, with the API message', () => {
    const e = new ApiError(403, 'forbidden', 'role member cannot connect vendors; use an admin key');
    expect(changeErrorMessage(e, 'save')).toBe('Only an admin can change integrations (role member cannot connect vendors; use an admin key).');
  });

  it("shows the API's own message for 400 and 404, and names the action otherwise", () => {
    expect(changeErrorMessage(new ApiError(400, 'invalid_request', "'token' must be 8 to 1024 visible characters"), 'save')).toBe(
      "'token' must be 8 to 1024 visible characters",
    );
    expect(changeErrorMessage(new ApiError(404, 'unknown_agent', "agent 'ghost' does not exist in this tenant"), 'save')).toBe(
      "agent 'ghost' does not exist in this tenant",
    );
    expect(changeErrorMessage(new ApiError(500, 'internal_error', 'boom (id 1)'), 'remove')).toBe('Could not remove: boom (id 1)');
  });
});
