// Keeps the API key for this browser tab only (sessionStorage): closing the tab signs out.

const KEY = 'steward.apiKey';

export interface KeyStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** This tab's sessionStorage, or null where storage is disabled. */
export function defaultStore(): KeyStore | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // Storage disabled (privacy mode): the key then lives only in memory.
  }
}

export function loadApiKey(store: KeyStore | null = defaultStore()): string | null {
  const value = store?.getItem(KEY);
  return value && value.trim() ? value.trim() : null;
}

export function saveApiKey(apiKey: string, store: KeyStore | null = defaultStore()): void {
  store?.setItem(KEY, apiKey.trim());
}

export function clearApiKey(store: KeyStore | null = defaultStore()): void {
  store?.removeItem(KEY);
}

/** Keys look like `stw_<tenant>_<keyId>_<secret>`; returns the tenant, or null for any other shape. */
export function tenantFromKey(apiKey: string): string | null {
  const parts = apiKey.trim().split('_');
  if (parts.length < 4 || parts[0] !== 'stw' || !parts[1]) return null;
  return parts[1];
}
