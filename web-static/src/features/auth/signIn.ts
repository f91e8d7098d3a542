import { ApiError, StewardClient, type Agent } from '../../api/client';
import { h, uid } from '../../lib/dom';

export interface SignedIn {
  apiKey: string;
  client: StewardClient;
  agents: Agent[];
}

/** Validates a key by listing the tenant's agents: the cheapest authenticated call. */
export async function signIn(apiKey: string, makeClient = (key: string) => new StewardClient({ apiKey: key })): Promise<SignedIn> {
  const key = apiKey.trim();
  if (!key) throw new ApiError(0, 'invalid_request', 'Paste an API key to sign in.');
  const client = makeClient(key);
  const { agents } = await client.listAgents();
  return { apiKey: key, client, agents: agents ?? [] };
}

/**
 * The sign-in page: an API key, and "Sign in with SSO" when the deployment has an OIDC issuer (`onSso`, which sends
 * the browser to it; see sso.ts).
 */
export function renderSignIn(options: {
  notice?: string | undefined;
  onSignedIn: (session: SignedIn) => void;
  onSso?: (() => Promise<void>) | undefined;
}): HTMLElement {
  const inputId = uid('api-key');
  const hintId = uid('api-key-hint');
  const errorId = uid('auth-error');

  const input = h('input', {
    id: inputId,
    name: 'apiKey',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    placeholder: 'stw_tenant_key_secret',
    'aria-describedby': `${hintId} ${errorId}`,
    testid: 'api-key-input',
  });
  const error = h('p', { id: errorId, className: 'form-error', role: 'alert', testid: 'auth-error', hidden: true });
  const button = h('button', { type: 'submit', className: 'btn btn-primary', testid: 'sign-in-button' }, 'Sign in');

  const form = h(
    'form',
    { className: 'card sign-in', 'aria-labelledby': 'sign-in-title', novalidate: true },
    h('h1', { id: 'sign-in-title' }, 'Sign in to Steward'),
    h('p', { className: 'muted' }, 'Paste the API key your administrator gave you. It stays in this browser tab only.'),
    h('label', { for: inputId }, 'API key'),
    input,
    h('p', { id: hintId, className: 'hint' }, 'Keys start with ', h('code', null, 'stw_'), '.'),
    error,
    button,
  );

  const showError = (message: string) => {
    error.textContent = message;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
  };
  if (options.notice) showError(options.notice);
  if (options.onSso) {
    const onSso = options.onSso;
    const sso = h('button', { type: 'button', className: 'btn btn-ghost', testid: 'sso-button' }, 'Sign in with SSO');
    sso.addEventListener('click', () => {
      sso.disabled = true;
      onSso().catch((e: unknown) => {
        sso.disabled = false;
        showError(e instanceof Error ? e.message : 'Could not reach the sign-in service.');
      });
    });
    form.append(h('p', { className: 'muted' }, 'Or sign in with your organisation\'s account:'), sso);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    input.removeAttribute('aria-invalid');
    button.disabled = true;
    button.textContent = 'Checking key…';
    form.setAttribute('aria-busy', 'true');
    try {
      options.onSignedIn(await signIn(input.value));
    } catch (e) {
      showError(e instanceof ApiError ? e.message : 'Sign-in failed unexpectedly. Try again.');
      input.focus();
      input.select();
    } finally {
      button.disabled = false;
      button.textContent = 'Sign in';
      form.removeAttribute('aria-busy');
    }
  });

  queueMicrotask(() => input.focus());
  return h('main', { id: 'main', className: 'auth-page' }, form);
}
