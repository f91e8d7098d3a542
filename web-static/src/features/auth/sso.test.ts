import { describe, expect, it } from 'vitest';
import type { KeyStore } from './session';
import { base64Url, beginSignIn, codeChallenge, completeSignIn, endpointsOf, loadSsoConfig, newCodeVerifier, tenantFromToken, type SsoConfig } from './sso';

function memoryStore(): KeyStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

// RFC 7636 appendix B: the octets of the verifier, the verifier and its S256 challenge.
const RFC_OCTETS = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const config: SsoConfig = {
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc',
  clientId: 'spa-client',
  authorizeUrl: 'https://steward-dev.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
  tokenUrl: 'https://steward-dev.auth.eu-west-1.amazoncognito.com/oauth2/token',
};
const endpoints = { authorizeUrl: config.authorizeUrl!, tokenUrl: config.tokenUrl! };
const redirect = 'https://app.example.com/';
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

describe('PKCE (RFC 7636)', () => {
  it('makes the verifier of appendix B from its octets', () => {
    const verifier = newCodeVerifier((bytes) => {
      bytes.set(RFC_OCTETS);
      return bytes;
    });
    expect(verifier).toBe(RFC_VERIFIER);
  });

  it('derives the S256 challenge of appendix B', async () => {
    expect(await codeChallenge(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
  });

  it('makes 43-character base64url verifiers that differ', () => {
    const a = newCodeVerifier();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newCodeVerifier()).not.toBe(a);
    expect(base64Url(new Uint8Array([251, 255]))).toBe('-_8');
  });
});

describe('SSO configuration', () => {
  it('reads the signin member of config.json, or none', async () => {
    expect(await loadSsoConfig(async () => json({ apiUrl: 'x', signin: config }))).toEqual(config);
    expect(await loadSsoConfig(async () => json({ apiUrl: 'x' }))).toBeNull();
    expect(await loadSsoConfig(async () => new Response('not found', { status: 404 }))).toBeNull();
    expect(await loadSsoConfig(async () => { throw new TypeError('offline'); })).toBeNull();
  });

  it('takes configured endpoints, else the issuer discovery document', async () => {
    expect(await endpointsOf(config, async () => { throw new Error('no fetch expected'); })).toEqual(endpoints);
    let asked = '';
    const discovered = await endpointsOf({ issuer: 'https://login.example.com/realm/', clientId: 'c' }, async (url) => {
      asked = url;
      return json({ authorization_endpoint: 'https://login.example.com/auth', token_endpoint: 'https://login.example.com/token' });
    });
    expect(asked).toBe('https://login.example.com/realm/.well-known/openid-configuration');
    expect(discovered).toEqual({ authorizeUrl: 'https://login.example.com/auth', tokenUrl: 'https://login.example.com/token' });
  });
});

describe('the authorization code flow', () => {
  it('sends the browser to the issuer with an S256 challenge and keeps the verifier and state in the tab', async () => {
    const store = memoryStore();
    const url = new URL(await beginSignIn(config, endpoints, redirect, store));
    const pending = JSON.parse(store.data.get('steward.sso.pending')!);
    expect(url.origin + url.pathname).toBe(config.authorizeUrl);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code', client_id: 'spa-client', redirect_uri: redirect, scope: 'openid email profile',
      state: pending.state, code_challenge: await codeChallenge(pending.verifier), code_challenge_method: 'S256',
    });
  });

  it('exchanges the code with the verifier for the ID token when the state matches', async () => {
    const store = memoryStore();
    const url = new URL(await beginSignIn(config, endpoints, redirect, store));
    const { verifier, state } = JSON.parse(store.data.get('steward.sso.pending')!);
    let sent: { url: string; body: URLSearchParams } | null = null;
    const token = await completeSignIn(`?code=abc&state=${state}`, config, endpoints, redirect, store, async (u, init) => {
      sent = { url: u, body: new URLSearchParams(String(init?.body)) };
      return json({ id_token: 'id.token.sig', access_token: 'a', token_type: 'Bearer' });
    });
    expect(url.searchParams.get('state')).toBe(state);
    expect(token).toBe('id.token.sig');
    expect(sent!.url).toBe(config.tokenUrl);
    expect(Object.fromEntries(sent!.body)).toEqual({ grant_type: 'authorization_code', client_id: 'spa-client', code: 'abc', redirect_uri: redirect, code_verifier: verifier });
    expect(store.data.has('steward.sso.pending')).toBe(false);
  });

  it('ignores a URL without an answer and refuses a foreign state, an error and a failed exchange', async () => {
    const store = memoryStore();
    const noFetch = async (): Promise<Response> => { throw new Error('no fetch expected'); };
    expect(await completeSignIn('', config, endpoints, redirect, store, noFetch)).toBeNull();
    await beginSignIn(config, endpoints, redirect, store);
    await expect(completeSignIn('?code=abc&state=forged', config, endpoints, redirect, store, noFetch)).rejects.toThrow(/not for this tab/);
    await expect(completeSignIn('?code=abc&state=any', config, endpoints, redirect, store, noFetch)).rejects.toThrow(/not for this tab/);
    await expect(completeSignIn('?error=access_denied&error_description=User+is+disabled', config, endpoints, redirect, store, noFetch))
      .rejects.toThrow('Sign-in was refused: User is disabled');
    await beginSignIn(config, endpoints, redirect, store);
    const { state } = JSON.parse(store.data.get('steward.sso.pending')!);
    await expect(completeSignIn(`?code=old&state=${state}`, config, endpoints, redirect, store, async () => json({ error: 'invalid_grant' }, 400)))
      .rejects.toThrow('Sign-in did not complete: invalid_grant');
  });

  it('reads the tenant of an ID token for display', () => {
    const payload = base64Url(new TextEncoder().encode(JSON.stringify({ sub: 'u', 'custom:tenant': 'acme' })));
    expect(tenantFromToken(`h.${payload}.s`)).toBe('acme');
    expect(tenantFromToken('stw_acme_k_s')).toBeNull();
  });
});
