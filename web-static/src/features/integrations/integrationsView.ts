// The Integrations tab: per vendor (Zendesk, HubSpot, Slack, Google Calendar) the webhook that brings its events in
// (agent, event types, hook URL; Slack and Google Calendar have none) and the connection the agent's tools act with (account, "token
// set"), each set, replaced or removed by an admin.
//
// Secrets and tokens: typed into password inputs, read only inside the submit that sends them, and cleared from the
// input once the server has answered (saved or refused); the page never shows one, since the API never sends one.

import {
  ApiError,
  INTEGRATION_VENDORS,
  isAbort,
  isWebhookVendor,
  type Agent,
  type IntegrationVendor,
  type StewardClient,
  type WebhookVendor,
} from '../../api/client';
import { errorLine, formatTime, h, replaceChildren, uid } from '../../lib/dom';
import {
  changeErrorMessage,
  checkConnectionForm,
  checkWebhookForm,
  connectionToolsText,
  EVENT_EXAMPLES,
  eventsLabel,
  hookUrl,
  VENDOR_LABELS,
  vendorViews,
  type ConnectionView,
  type VendorView,
  type WebhookView,
} from './integrationHelpers';

export interface IntegrationsContext {
  client: StewardClient;
  /** The tenant's agents as read at sign-in; refreshed from `GET /v1/agents` each time the tab loads. */
  agents: Agent[];
  signal: AbortSignal;
  onUnauthorized: (message: string) => void;
}

export interface IntegrationsView {
  element: HTMLElement;
  /** Called when the tab becomes visible: reads webhooks, connections and agents again. */
  onShow(): void;
}

type Kind = 'webhook' | 'connection';

interface Field {
  element: HTMLElement;
  input: HTMLInputElement | HTMLSelectElement;
  error: HTMLElement;
}

/** A labelled input with a hint and its own error line (`{testid}-error`). */
function field(label: string, input: HTMLInputElement | HTMLSelectElement, testid: string, hint?: string): Field {
  const id = uid(testid);
  input.id = id;
  input.setAttribute('data-testid', testid);
  const error = h('p', { className: 'form-error field-error', id: `${id}-error`, testid: `${testid}-error`, hidden: true });
  const hintEl = hint ? h('p', { className: 'hint', id: `${id}-hint` }, hint) : null;
  input.setAttribute('aria-describedby', [hintEl ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' '));
  return { element: h('div', { className: 'field' }, h('label', { for: id }, label), input, hintEl, error), input, error };
}

const secretInput = () => h('input', { type: 'password', autocomplete: 'new-password', spellcheck: 'false', autocapitalize: 'off' });
const textInput = (placeholder: string, type: 'text' | 'email' = 'text') =>
  h('input', { type, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', placeholder });

function updatedLine(at: string | null, by: string | null): (Node | string)[] {
  if (!at && !by) return [];
  return [h('dt', null, 'Updated'), h('dd', null, at ? h('time', { datetime: at }, formatTime(at)) : '', by ? [' by ', h('code', null, by)] : '')];
}

/**
 * The shared mechanics of one part of a vendor card (its webhook or its connection): the summary, Set up / Replace
 * and Remove buttons, the confirm step, the form with per-field errors, the API error and busy state.
 */
interface Part {
  element: HTMLElement;
  summary: HTMLElement;
  form: HTMLFormElement;
  /** Shows `present` (set up or not) in the buttons; the summary is filled by the caller. */
  setPresent(present: boolean): void;
  fieldErrors(errors: Partial<Record<string, string>>, fields: Record<string, Field>): void;
  /** Runs a change: busy while it lasts; on an API error shows it next to the form. True when it went through. */
  run(action: 'save' | 'remove', call: () => Promise<unknown>): Promise<boolean>;
  closeForm(): void;
  onOpen: (() => void) | null;
  onRemove: (() => Promise<unknown>) | null;
}

interface PartOptions {
  kind: Kind;
  vendor: IntegrationVendor;
  /** "Zendesk webhook", "HubSpot connection": names the buttons for screen readers and the messages. */
  what: string;
  intro: string;
  removeQuestion: string;
  fields: HTMLElement[];
  /** The card's status line: cleared when a change starts, then says what was done. */
  status: HTMLElement;
  /** After a change went through: reads the lists again. */
  reload: () => void;
  onUnauthorized: (message: string) => void;
}

function createPart({ kind, vendor, what, intro, removeQuestion, fields, status, reload, onUnauthorized }: PartOptions): Part {
  const title = kind === 'webhook' ? 'Webhook' : 'Connection';
  const summary = h('div', { className: 'integration-summary' });
  const editButton = h('button', { type: 'button', className: 'btn btn-ghost', testid: `${kind}-edit`, 'aria-expanded': 'false' }, 'Set up…');
  const removeButton = h('button', { type: 'button', className: 'btn btn-ghost', testid: `${kind}-remove`, 'aria-label': `Remove the ${what}…`, hidden: true }, 'Remove…');
  const confirmRemove = h('button', { type: 'button', className: 'btn btn-danger', testid: `${kind}-confirm-remove` }, 'Remove');
  const cancelRemove = h('button', { type: 'button', className: 'btn btn-ghost' }, 'Keep it');
  const confirm = h(
    'div',
    { className: 'integration-confirm', role: 'group', 'aria-label': `Remove the ${what}`, testid: `${kind}-confirm`, hidden: true },
    h('p', null, removeQuestion),
    h('div', { className: 'button-row' }, confirmRemove, cancelRemove),
  );
  const saveButton = h('button', { type: 'submit', className: 'btn btn-primary', testid: `${kind}-save` }, 'Save');
  const cancelButton = h('button', { type: 'button', className: 'btn btn-ghost' }, 'Cancel');
  const form = h('form', { className: 'integration-form', novalidate: true, hidden: true, testid: `${kind}-form` }, fields, h('div', { className: 'button-row' }, saveButton, cancelButton));
  const error = h('div', { className: 'form-error', role: 'alert', testid: `${kind}-error`, hidden: true });
  const headingId = uid(`${vendor}-${kind}`);

  const element = h(
    'section',
    { className: 'integration-part', testid: kind, 'data-vendor': vendor, 'aria-labelledby': headingId },
    h('div', { className: 'section-head' }, h('h3', { id: headingId }, title), editButton, removeButton),
    h('p', { className: 'hint integration-intro' }, intro),
    summary,
    confirm,
    form,
    error,
  );

  const buttons = [editButton, removeButton, confirmRemove, cancelRemove, saveButton, cancelButton];
  let busy = false;
  const setBusy = (on: boolean) => {
    busy = on;
    for (const b of buttons) b.disabled = on;
    if (on) element.setAttribute('aria-busy', 'true');
    else element.removeAttribute('aria-busy');
  };
  const hideError = () => {
    error.hidden = true;
    replaceChildren(error);
  };

  const part: Part = {
    element,
    summary,
    form,
    onOpen: null,
    onRemove: null,
    setPresent(present) {
      editButton.textContent = present ? 'Replace…' : 'Set up…';
      // Every card has two of each button: the accessible name says which.
      editButton.setAttribute('aria-label', `${present ? 'Replace' : 'Set up'} the ${what}…`);
      removeButton.hidden = !present;
      if (!present) confirm.hidden = true;
    },
    fieldErrors(errors, all) {
      let first: Field | null = null;
      for (const [name, f] of Object.entries(all)) {
        const message = errors[name];
        f.error.textContent = message ?? '';
        f.error.hidden = !message;
        if (message) f.input.setAttribute('aria-invalid', 'true');
        else f.input.removeAttribute('aria-invalid');
        if (message && !first) first = f;
      }
      (first as Field | null)?.input.focus();
    },
    async run(action, call) {
      if (busy) return false;
      hideError();
      status.textContent = '';
      setBusy(true);
      try {
        await call();
        status.textContent = `${what} ${action === 'save' ? 'saved' : 'removed'}.`;
        reload();
        return true;
      } catch (e) {
        if (isAbort(e)) return false;
        if (e instanceof ApiError && e.status === 401) {
          onUnauthorized(e.message);
          return false;
        }
        const err = ApiError.from(e);
        replaceChildren(error, errorLine(changeErrorMessage(err, action), err.code));
        error.hidden = false;
        return false;
      } finally {
        setBusy(false);
      }
    },
    closeForm() {
      form.hidden = true;
      editButton.setAttribute('aria-expanded', 'false');
    },
  };

  editButton.addEventListener('click', () => {
    if (!form.hidden) return part.closeForm();
    hideError();
    confirm.hidden = true;
    part.onOpen?.();
    form.hidden = false;
    editButton.setAttribute('aria-expanded', 'true');
    form.querySelector<HTMLElement>('input, select')?.focus();
  });
  cancelButton.addEventListener('click', () => {
    part.closeForm();
    hideError();
    editButton.focus();
  });
  removeButton.addEventListener('click', () => {
    hideError();
    part.closeForm();
    confirm.hidden = false;
    cancelRemove.focus();
  });
  cancelRemove.addEventListener('click', () => {
    confirm.hidden = true;
    removeButton.focus();
  });
  confirmRemove.addEventListener('click', async () => {
    const remove = part.onRemove;
    if (!remove) return;
    if (await part.run('remove', remove)) confirm.hidden = true;
  });
  return part;
}

interface VendorCard {
  element: HTMLElement;
  render(view: VendorView, agents: readonly Agent[] | null): void;
  /** Rebuilds the agent select's options, keeping the choice when it is still offered. */
  setAgents(agents: readonly Agent[]): void;
}

interface WebhookSection {
  element: HTMLElement;
  render(w: WebhookView | null, agents: readonly Agent[] | null): void;
  setAgents(agents: readonly Agent[]): void;
}

/** The webhook part of a vendor card: the agent, signing secret and event types of the vendor's webhook. */
function createWebhookSection(
  vendor: WebhookVendor,
  label: string,
  ctx: IntegrationsContext,
  common: Pick<PartOptions, 'vendor' | 'status' | 'reload' | 'onUnauthorized'>,
): WebhookSection {
  let current: WebhookView | null = null;
  const agent = field('Agent', h('select', null), 'webhook-agent', `The agent each ${label} event starts a run of.`);
  const secret = field(
    'Signing secret',
    secretInput(),
    'webhook-secret',
    vendor === 'zendesk' ? "The webhook's signing secret, 16 to 512 characters." : "The app's client secret, 16 to 512 characters.",
  );
  const events = field('Event types (optional)', textInput(EVENT_EXAMPLES[vendor]), 'webhook-events', 'Separated by commas; empty means every event type starts a run.');
  const webhookFields = { agent, secret, events };
  const webhook = createPart({
    ...common,
    kind: 'webhook',
    what: `${label} webhook`,
    intro: `${label} posts its events to Steward; each one starts a run of the agent chosen here.`,
    removeQuestion: `Remove the ${label} webhook? Deliveries from ${label} will be refused until it is set up again.`,
    fields: [agent.element, secret.element, events.element],
  });
  webhook.onOpen = () => {
    if (current) agent.input.value = current.agent;
    events.input.value = current ? current.events.join(', ') : '';
    webhook.fieldErrors({}, webhookFields);
  };
  webhook.onRemove = () => ctx.client.deleteWebhook(vendor, ctx.signal);
  webhook.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const check = checkWebhookForm({ agent: agent.input.value, secret: secret.input.value, events: events.input.value });
    webhook.fieldErrors(check.ok ? {} : check.errors, webhookFields);
    if (!check.ok) return;
    const saved = await webhook.run('save', () => ctx.client.saveWebhook(vendor, check.request, ctx.signal));
    secret.input.value = ''; // the server has answered (or the call was abandoned): the secret leaves the page
    if (saved) webhook.closeForm();
  });

  function render(w: WebhookView | null, agents: readonly Agent[] | null): void {
    current = w;
    webhook.setPresent(!!w);
    if (!w) {
      replaceChildren(webhook.summary, h('p', { className: 'muted', testid: 'webhook-none' }, 'Not set up: no events come in from ' + label + '.'));
      return;
    }
    const url = hookUrl(w.path, location.origin);
    const missing = agents !== null && !agents.some((a) => a.name === w.agent);
    replaceChildren(
      webhook.summary,
      h(
        'dl',
        { className: 'review-meta', testid: 'webhook-details', 'data-agent': w.agent, 'data-path': w.path, 'data-events': w.events.join(',') },
        h('dt', null, 'Agent'),
        h(
          'dd',
          null,
          h('code', null, w.agent),
          missing ? h('span', { className: 'integration-warning' }, ' no longer exists: deliveries are refused until you choose another') : null,
        ),
        h('dt', null, 'Events'),
        h('dd', null, eventsLabel(w.events)),
        h('dt', null, 'Hook URL'),
        h('dd', null, h('code', { className: 'hook-url', testid: 'webhook-url' }, url)),
        updatedLine(w.updatedAt, w.updatedBy),
      ),
    );
  }

  function setAgents(agents: readonly Agent[]): void {
    const select = agent.input as HTMLSelectElement;
    const chosen = select.value;
    replaceChildren(select, h('option', { value: '' }, 'Choose an agent…'), agents.map((a) => h('option', { value: a.name }, a.name)));
    if (agents.some((a) => a.name === chosen)) select.value = chosen;
  }

  return { element: webhook.element, render, setAgents };
}

/** The token field's label and hint per vendor that connects with one token (Google Calendar takes an OAuth client). */
const TOKEN_FIELD: Record<Exclude<IntegrationVendor, 'google_calendar'>, [label: string, hint: string]> = {
  zendesk: ['API token', 'Admin Center, Apps and integrations, Zendesk API.'],
  hubspot: ['Access token', "A private app's access token with the contacts write scope (and those of the records it notes on) and the read scopes of the records it reads."],
  slack: [
    'Bot token',
    "The Slack app's Bot User OAuth Token (xoxb-…, OAuth & Permissions) with chat:write; channels:history, groups:history, channels:read and groups:read to read channels. Invite the app to each channel it posts in.",
  ],
};

function createVendorCard(vendor: IntegrationVendor, label: string, ctx: IntegrationsContext, reload: () => Promise<void>): VendorCard {
  let view: VendorView | null = null;
  const status = h('p', { className: 'hint integration-status', role: 'status' });
  const common = { vendor, status, reload: () => void reload(), onUnauthorized: ctx.onUnauthorized };
  const webhook = isWebhookVendor(vendor) ? createWebhookSection(vendor, label, ctx, common) : null;

  // --- connection ---
  const subdomain = field('Subdomain', textInput('acme'), 'connection-subdomain', 'The acme of https://acme.zendesk.com.');
  const email = field('Agent email', textInput('agent@acme.com', 'email'), 'connection-email', 'The Zendesk agent the comments are posted as.');
  // Google Calendar's form has no token field (it is never shown): the pair is only what the field is built with.
  const [tokenLabel, tokenHint] = vendor === 'google_calendar' ? ['Token', ''] : TOKEN_FIELD[vendor];
  const token = field(tokenLabel, secretInput(), 'connection-token', tokenHint);
  const clientId = field('OAuth client id', textInput('1234567890-abc.apps.googleusercontent.com'), 'connection-client-id', 'Google Cloud console, APIs and services, Credentials.');
  const calendarId = field('Calendar (optional)', textInput('primary'), 'connection-calendar-id', "Where events are booked: primary (the consenting account's own) or a calendar's id.");
  const clientSecret = field('OAuth client secret', secretInput(), 'connection-client-secret', "The same OAuth client's secret.");
  const refreshToken = field(
    'Refresh token',
    secretInput(),
    'connection-refresh-token',
    'From Google’s consent flow (offline access) for the scopes calendar.events and calendar.freebusy.',
  );
  const connectionFields: Record<string, Field> =
    vendor === 'zendesk'
      ? { subdomain, email, token }
      : vendor === 'google_calendar'
        ? { client_id: clientId, calendar_id: calendarId, client_secret: clientSecret, refresh_token: refreshToken }
        : { token };
  const secretFields = [token, clientSecret, refreshToken];
  const connection = createPart({
    ...common,
    kind: 'connection',
    what: `${label} connection`,
    intro: `The credentials the agent's ${connectionToolsText(vendor)} tools act with.`,
    removeQuestion: `Remove the ${label} connection? The ${connectionToolsText(vendor)} tools stop working until it is connected again.`,
    fields: Object.values(connectionFields).map((f) => f.element),
  });
  connection.onOpen = () => {
    const current = view?.connection;
    for (const f of current?.fields ?? []) {
      const input = connectionFields[f.name]?.input;
      if (input) input.value = f.value;
    }
    connection.fieldErrors({}, connectionFields);
  };
  connection.onRemove = () => ctx.client.deleteConnection(vendor, ctx.signal);
  connection.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const check = checkConnectionForm(vendor, {
      subdomain: subdomain.input.value,
      email: email.input.value,
      token: token.input.value,
      client_id: clientId.input.value,
      calendar_id: calendarId.input.value,
      client_secret: clientSecret.input.value,
      refresh_token: refreshToken.input.value,
    });
    connection.fieldErrors(check.ok ? {} : check.errors, connectionFields);
    if (!check.ok) return;
    const saved = await connection.run('save', () => ctx.client.saveConnection(vendor, check.request, ctx.signal));
    for (const f of secretFields) f.input.value = ''; // the server has answered: the secrets leave the page
    if (saved) connection.closeForm();
  });

  const element = h(
    'section',
    { className: 'card integration', testid: 'integration-vendor', 'data-vendor': vendor, 'aria-labelledby': `integration-${vendor}-title` },
    h('h2', { id: `integration-${vendor}-title` }, label),
    status,
    webhook?.element ?? null,
    connection.element,
  );

  function renderConnection(c: ConnectionView | null): void {
    connection.setPresent(!!c);
    if (!c) {
      replaceChildren(connection.summary, h('p', { className: 'muted', testid: 'connection-none' }, `Not connected: the agent cannot use ${connectionToolsText(vendor)}.`));
      return;
    }
    const attrs: Record<string, string> = { className: 'review-meta', testid: 'connection-details', 'data-token-set': String(c.tokenSet) };
    for (const f of c.fields) attrs[`data-${f.name}`] = f.value;
    replaceChildren(
      connection.summary,
      h(
        'dl',
        attrs,
        c.fields.flatMap((f) => [h('dt', null, f.label), h('dd', null, h('code', null, f.value))]),
        h('dt', null, vendor === 'google_calendar' ? 'Client secret and refresh token' : 'Token'),
        h('dd', null, c.tokenSet ? 'set (never shown)' : 'not set'),
        updatedLine(c.updatedAt, c.updatedBy),
      ),
    );
  }

  return {
    element,
    setAgents: (agents) => webhook?.setAgents(agents),
    render(next, agents) {
      view = next;
      webhook?.render(next.webhook, agents);
      renderConnection(next.connection);
    },
  };
}

export function renderIntegrations(ctx: IntegrationsContext): IntegrationsView {
  let latest = 0;
  let agents: readonly Agent[] = ctx.agents;

  const refreshButton = h('button', { type: 'button', className: 'btn btn-ghost' }, 'Refresh');
  refreshButton.addEventListener('click', () => void load());
  const liveNote = h('span', { className: 'hint', 'aria-live': 'polite' });
  const error = h('p', { className: 'form-error', role: 'alert', testid: 'integrations-error', hidden: true });

  // In INTEGRATION_VENDORS order, as vendorViews answers.
  const cards = INTEGRATION_VENDORS.map((vendor) => createVendorCard(vendor, VENDOR_LABELS[vendor], ctx, load));
  for (const card of cards) card.setAgents(agents);
  const data = h('div', { className: 'integrations-grid', testid: 'integrations-data', hidden: true }, cards.map((c) => c.element));

  const element = h(
    'div',
    { className: 'integrations-layout' },
    h(
      'section',
      { className: 'card', 'aria-labelledby': 'integrations-title' },
      h('div', { className: 'section-head' }, h('h2', { id: 'integrations-title' }, 'Integrations'), refreshButton),
      h(
        'p',
        { className: 'hint' },
        'Webhooks let Zendesk and HubSpot start agent runs; connections let the agent act back (Slack: post and read channels; Slack and Google Calendar have a connection only). Anyone can see them; only an admin can change them. Secrets and tokens are never shown. ',
        liveNote,
      ),
      error,
    ),
    data,
  );

  async function load(): Promise<void> {
    const request = ++latest;
    liveNote.textContent = 'Loading…';
    element.setAttribute('aria-busy', 'true');
    try {
      const [hooks, connections, agentList] = await Promise.all([
        ctx.client.listWebhooks(ctx.signal),
        ctx.client.listConnections(ctx.signal),
        ctx.client.listAgents(ctx.signal).then(
          (r) => r.agents ?? [],
          (e: unknown) => {
            if (e instanceof ApiError && e.status === 401) throw e;
            return null; // keep the agents read at sign-in
          },
        ),
      ]);
      if (request !== latest) return;
      if (agentList) {
        agents = agentList;
        for (const card of cards) card.setAgents(agents);
      }
      const views = vendorViews(hooks.webhooks, connections.connections);
      views.forEach((v, i) => cards[i]!.render(v, agentList ? agents : null));
      error.hidden = true;
      data.hidden = false;
      data.dataset.loaded = String(request);
      liveNote.textContent = '';
    } catch (e) {
      if (isAbort(e) || request !== latest) return;
      if (e instanceof ApiError && e.status === 401) return ctx.onUnauthorized(e.message);
      const err = ApiError.from(e);
      replaceChildren(error, errorLine(`Could not load integrations: ${err.message}`, err.code));
      error.hidden = false;
      liveNote.textContent = '';
    } finally {
      if (request === latest) element.removeAttribute('aria-busy');
    }
  }

  return {
    element,
    onShow() {
      void load();
    },
  };
}
