// Sign-in with the deployment's OIDC issuer (a Cognito user pool's hosted UI, or another issuer): the authorization
// code flow with PKCE (RFC 7636), as a public client, all in the browser. The ID token it ends with is sent as the
// Bearer credential, exactly where an API key goes; the authorizer reads the tenant and role from its claims.
// The deployment says whether SSO exists in the `signin` member of /config.json (written by the CDK next to the SPA).

import type { KeyStore } from './session';

export interface SsoConfig {
  issuer: string;
  clientId: string;
  /** Cognito's hosted UI endpoints; absent for another issuer, whose discovery document names them. */
  authorizeUrl?: string;
  tokenUrl?: string;
}

export interface SsoEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
type RandomBytes = (bytes: Uint8Array) => Uint8Array;

const PENDING = 'steward.sso.pending';
const defaultRandom: RandomBytes = (bytes) => crypto.getRandomValues(bytes);

/** base64url without padding (RFC 7636 appendix A). */
export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A code verifier: 32 random bytes, base64url, 43 characters (the RFC's minimum length). */
export function newCodeVerifier(random: RandomBytes = defaultRandom): string {
  return base64Url(random(new Uint8Array(32)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** The deployment's SSO settings from /config.json, or null when it has none (or no config file, as in local mode). */
export async function loadSsoConfig(fetchImpl: FetchLike = fetch): Promise<SsoConfig | null> {
  try {
    const response = await fetchImpl('/config.json', { headers: { Accept: 'application/json' } });
    if (!response.ok) return null;
    const signin = (await response.json())?.signin;
    return signin && typeof signin.issuer === 'string' && typeof signin.clientId === 'string' ? (signin as SsoConfig) : null;
  } catch {
    return null;
  }
}

/** The authorize and token endpoints: as configured, else from the issuer's OpenID discovery document. */
export async function endpointsOf(config: SsoConfig, fetchImpl: FetchLike = fetch): Promise<SsoEndpoints> {
  if (config.authorizeUrl && config.tokenUrl) return { authorizeUrl: config.authorizeUrl, tokenUrl: config.tokenUrl };
  const response = await fetchImpl(config.issuer.replace(/\/+$/, '') + '/.well-known/openid-configuration');
  if (!response.ok) throw new Error(`The sign-in service did not answer (${response.status}).`);
  const discovery = await response.json();
  return { authorizeUrl: discovery.authorization_endpoint, tokenUrl: discovery.token_endpoint };
}

/**
 * The URL to send the browser to: a fresh verifier and state are kept in `store` (this tab's sessionStorage) until
 * the issuer redirects back to `redirectUri` with a code.
 */
export async function beginSignIn(config: SsoConfig, endpoints: SsoEndpoints, redirectUri: string, store: KeyStore | null,
  random: RandomBytes = defaultRandom): Promise<string> {
  const verifier = newCodeVerifier(random);
  const state = base64Url(random(new Uint8Array(16)));
  store?.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(endpoints.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/**
 * Finishes a sign-in the issuer redirected back with (`search` is location.search): checks the state against the one
 * this tab sent, exchanges the code and verifier for tokens, and returns the ID token. Null when the URL carries no
 * sign-in answer; an Error with a message for the user when it carries a refusal or does not match.
 */
export async function completeSignIn(search: string, config: SsoConfig, endpoints: SsoEndpoints, redirectUri: string,
  store: KeyStore | null, fetchImpl: FetchLike = fetch): Promise<string | null> {
  const params = new URLSearchParams(search);
  if (!params.has('code') && !params.has('error')) return null;
  const pending = store?.getItem(PENDING);
  store?.removeItem(PENDING);
  if (params.has('error')) throw new Error(`Sign-in was refused: ${params.get('error_description') ?? params.get('error')}`);
  const sent = pending ? (JSON.parse(pending) as { verifier: string; state: string }) : null;
  if (!sent || sent.state !== params.get('state')) throw new Error('This sign-in answer is not for this tab; sign in again.');
  const response = await fetchImpl(endpoints.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code: params.get('code')!,
      redirect_uri: redirectUri,
      code_verifier: sent.verifier,
    }).toString(),
  });
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok || typeof tokens.id_token !== 'string') {
    throw new Error(`Sign-in did not complete: ${tokens.error_description ?? tokens.error ?? response.status}`);
  }
  return tokens.id_token;
}

/** The tenant an ID token names (Cognito's custom:tenant), for display only: the authorizer is what checks it. */
export function tenantFromToken(token: string): string | null {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const tenant = JSON.parse(atob(payload))['custom:tenant'];
    return typeof tenant === 'string' ? tenant : null;
  } catch {
    return null;
  }
}
