import './styles.css';
import { ApiError, StewardClient } from './api/client';
import { h, replaceChildren } from './lib/dom';
import { clearApiKey, defaultStore, loadApiKey, saveApiKey, tenantFromKey } from './features/auth/session';
import { renderSignIn, signIn, type SignedIn } from './features/auth/signIn';
import { beginSignIn, completeSignIn, endpointsOf, loadSsoConfig, tenantFromToken, type SsoConfig } from './features/auth/sso';
import { renderChat } from './features/chat/chatView';
import { renderDocuments } from './features/documents/documentsView';
import { renderReviews } from './features/reviews/reviewsView';
import { renderRuns } from './features/runs/runsView';
import { renderUsage } from './features/usage/usageView';
import { renderIntegrations } from './features/integrations/integrationsView';
import { renderAudit } from './features/audit/auditView';
import { parseRoute, type RouteName } from './lib/routes';

const root = document.getElementById('app')!;
let teardown: (() => void) | null = null;
/** The deployment's OIDC sign-in (config.json), if it has one; read once at boot. */
let sso: SsoConfig | null = null;
/** Where the issuer sends the browser back to: the SPA's root, one of the user pool client's callback URLs. */
const redirectUri = () => location.origin + '/';

async function startSso(config: SsoConfig): Promise<void> {
  location.assign(await beginSignIn(config, await endpointsOf(config), redirectUri(), defaultStore()));
}

const TITLES: Record<RouteName, string> = { chat: 'Chat', documents: 'Documents', runs: 'Runs', reviews: 'Reviews', usage: 'Usage', integrations: 'Integrations', audit: 'Audit' };

function showSignIn(notice?: string): void {
  teardown?.();
  teardown = null;
  document.title = 'Sign in · Steward';
  replaceChildren(
    root,
    renderSignIn({
      notice,
      onSso: sso ? () => startSso(sso!) : undefined,
      onSignedIn: (session) => {
        saveApiKey(session.apiKey);
        showApp(session);
      },
    }),
  );
}

function showApp(session: SignedIn): void {
  teardown?.();
  const abort = new AbortController();
  const onUnauthorized = (message: string) => {
    clearApiKey();
    showSignIn(`Your session ended: ${message}`);
  };

  const chat = renderChat({ client: session.client, agents: session.agents, signal: abort.signal, onUnauthorized });
  const documents = renderDocuments({ client: session.client, signal: abort.signal, onUnauthorized });
  const runs = renderRuns({ client: session.client, agents: session.agents, signal: abort.signal, onUnauthorized });
  const reviews = renderReviews({ client: session.client, signal: abort.signal, onUnauthorized });
  const usage = renderUsage({ client: session.client, agents: session.agents, signal: abort.signal, onUnauthorized });
  const integrations = renderIntegrations({ client: session.client, agents: session.agents, signal: abort.signal, onUnauthorized });
  const audit = renderAudit({ client: session.client, signal: abort.signal, onUnauthorized });

  const navLink = (route: RouteName, label: string) =>
    h('a', { href: `#/${route}`, className: 'nav-link', 'data-route': route, testid: `nav-${route}` }, label);
  const links = [navLink('chat', 'Chat'), navLink('documents', 'Documents'), navLink('runs', 'Runs'), navLink('reviews', 'Reviews'), navLink('usage', 'Usage'), navLink('integrations', 'Integrations'), navLink('audit', 'Audit')];
  const tenant = tenantFromKey(session.apiKey) ?? tenantFromToken(session.apiKey);
  const signOut = h('button', { type: 'button', className: 'btn btn-ghost', testid: 'sign-out-button' }, 'Sign out');
  signOut.addEventListener('click', () => {
    clearApiKey();
    try {
      sessionStorage.removeItem('steward.agent');
    } catch {
      /* storage unavailable */
    }
    history.replaceState(null, '', location.pathname + location.search);
    showSignIn();
  });

  const chatPane = h('div', { className: 'pane', 'data-pane': 'chat' }, chat);
  const docsPane = h('div', { className: 'pane', 'data-pane': 'documents', hidden: true }, documents.element);
  const runsPane = h('div', { className: 'pane', 'data-pane': 'runs', hidden: true }, runs.element);
  const reviewsPane = h('div', { className: 'pane', 'data-pane': 'reviews', hidden: true }, reviews.element);
  const usagePane = h('div', { className: 'pane', 'data-pane': 'usage', hidden: true }, usage.element);
  const integrationsPane = h('div', { className: 'pane', 'data-pane': 'integrations', hidden: true }, integrations.element);
  const auditPane = h('div', { className: 'pane', 'data-pane': 'audit', hidden: true }, audit.element);
  const main = h('main', { id: 'main', className: 'app-main', tabindex: '-1' }, chatPane, docsPane, runsPane, reviewsPane, usagePane, integrationsPane, auditPane);

  replaceChildren(
    root,
    h(
      'header',
      { className: 'app-header' },
      h('a', { className: 'brand', href: '#/chat' }, h('span', { className: 'brand-mark', 'aria-hidden': 'true' }, 'S'), 'Steward'),
      h('nav', { 'aria-label': 'Main' }, h('ul', null, links.map((l) => h('li', null, l)))),
      h(
        'div',
        { className: 'account' },
        tenant ? h('span', { className: 'tenant', title: 'The tenant you are signed in to' }, tenant) : null,
        signOut,
      ),
    ),
    main,
  );

  let current: RouteName | null = null;
  const apply = () => {
    const parsed = parseRoute(location.hash);
    const route = parsed?.name ?? current ?? 'chat';
    // Reviews: a new #/reviews/{id} on the open tab still selects that review.
    if (route === 'reviews' && parsed?.reviewId) reviews.onShow(parsed.reviewId);
    // Runs: a new #/runs/{id} on the open tab still opens that run.
    if (route === 'runs' && parsed?.runId) runs.onShow(parsed.runId);
    if (route === current) return;
    current = route;
    chatPane.hidden = route !== 'chat';
    docsPane.hidden = route !== 'documents';
    runsPane.hidden = route !== 'runs';
    reviewsPane.hidden = route !== 'reviews';
    usagePane.hidden = route !== 'usage';
    integrationsPane.hidden = route !== 'integrations';
    auditPane.hidden = route !== 'audit';
    for (const l of links) {
      if (l.dataset.route === route) l.setAttribute('aria-current', 'page');
      else l.removeAttribute('aria-current');
    }
    document.title = `${TITLES[route]} · Steward`;
    if (route === 'documents') documents.onShow();
    else documents.onHide();
    if (route === 'runs') runs.onShow();
    else runs.onHide();
    if (route === 'reviews') reviews.onShow();
    else reviews.onHide();
    if (route === 'usage') usage.onShow();
    if (route === 'integrations') integrations.onShow();
    if (route === 'audit') audit.onShow();
    else audit.onHide();
  };
  window.addEventListener('hashchange', apply);
  apply();

  teardown = () => {
    abort.abort();
    documents.onHide();
    runs.onHide();
    reviews.onHide();
    window.removeEventListener('hashchange', apply);
  };
}

async function boot(): Promise<void> {
  sso = await loadSsoConfig();
  if (sso && /[?&](code|error)=/.test(location.search)) {
    // back from the issuer: the ID token becomes this tab's credential, sent as Bearer like an API key
    try {
      const token = await completeSignIn(location.search, sso, await endpointsOf(sso), redirectUri(), defaultStore());
      if (token) saveApiKey(token);
    } catch (e) {
      history.replaceState(null, '', location.pathname + location.hash);
      return showSignIn(e instanceof Error ? e.message : 'Sign-in did not complete.');
    }
    history.replaceState(null, '', location.pathname + location.hash);
  }
  const saved = loadApiKey();
  if (!saved) return showSignIn();
  replaceChildren(root, h('p', { className: 'booting muted', role: 'status' }, 'Signing in…'));
  try {
    showApp(await signIn(saved, (key) => new StewardClient({ apiKey: key })));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      clearApiKey();
      showSignIn(`Your saved key no longer works: ${e.message}`);
    } else {
      showSignIn(e instanceof ApiError ? e.message : 'Could not sign in.');
    }
  }
}

void boot();
