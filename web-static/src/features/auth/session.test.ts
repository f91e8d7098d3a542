import { describe, expect, it } from 'vitest';
import { ApiError, StewardClient, type FetchLike } from '../../api/client';
import { clearApiKey, loadApiKey, saveApiKey, tenantFromKey, type KeyStore } from './session';
import { signIn } from './signIn';

function memoryStore(): KeyStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe('session key storage', () => {
  it('saves, loads and clears the key', () => {
    const store = memoryStore();
    expect(loadApiKey(store)).toBeNull();
    saveApiKey('  stw_acme_k1_secret\n', store);
    expect(loadApiKey(store)).toBe('stw_acme_k1_secret');
    clearApiKey(store);
    expect(loadApiKey(store)).toBeNull();
  });

  it('works without storage', () => {
    expect(loadApiKey(null)).toBeNull();
    expect(() => saveApiKey('k', null)).not.toThrow();
  });

  it('reads the tenant from the key prefix', () => {
    expect(tenantFromKey('stw_acme_k1_secret')).toBe('acme');
    expect(tenantFromKey('nope')).toBeNull();
    expect(tenantFromKey('stw__k1_secret')).toBeNull();
  });
});

describe('signIn', () => {
  const clientWith = (status: number, body: unknown) => (key: string) => {
    const fetch: FetchLike = async () => new Response(JSON.stringify(body), { status });
    return new StewardClient({ apiKey: key, fetch });
  };

  it('validates the key by listing agents', async () => {
    const session = await signIn(' stw_acme_k1_s ', clientWith(200, { agents: [{ name: 'knowledge-assistant', description: 'd' }] }));
    expect(session.apiKey).toBe('stw_acme_k1_s');
    expect(session.agents.map((a) => a.name)).toEqual(['knowledge-assistant']);
  });

  it('rejects with the server message on 401', async () => {
    const err = await signIn('stw_acme_k1_bad', clientWith(401, { error: { code: 'unauthorized', message: 'the API key does not match' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('the API key does not match');
  });

  it('rejects an empty key without calling the API', async () => {
    let called = false;
    const err = await signIn('   ', () => {
      called = true;
      return new StewardClient({ apiKey: 'x' });
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(called).toBe(false);
  });
});
