/**
 * API keys belong to a server: one key per origin (`scheme://host:port`) of the base URL, so a key
 * saved for https://api.openai.com is never sent to a server a workspace's settings point at. No
 * `vscode` import: the host hands in its SecretStorage, tests an in-memory fake.
 */

/** The part of VS Code's SecretStorage the keys use. */
export interface SecretStore {
  get(name: string): PromiseLike<string | undefined>;
  store(name: string, value: string): PromiseLike<void>;
  delete(name: string): PromiseLike<void>;
}

/** Where versions before per-server keys kept the one key (it went to whatever base URL was set). */
export const LEGACY_API_KEY_SECRET = 'sessionChat.apiKey';

/** The secret name of the key for `origin`, e.g. `sessionChat.apiKey:https://api.openai.com`. */
export function apiKeySecretName(origin: string): string {
  return `${LEGACY_API_KEY_SECRET}:${origin}`;
}

/**
 * The server a key belongs to: `scheme://host[:port]` of an http(s) base URL (default ports
 * dropped, host lower-cased, any `user:password@` left out), or undefined when the URL is not one.
 */
export function keyOrigin(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
}

/**
 * The API keys, one per server origin, in secret storage. `userBaseUrl` reads the base URL of the
 * user's own settings (never a workspace's): the server a key of an older version was meant for.
 */
export class ApiKeys {
  readonly #secrets: SecretStore;
  readonly #userBaseUrl: () => string | undefined;
  #migration: Promise<void> | undefined;

  constructor(secrets: SecretStore, userBaseUrl: () => string | undefined) {
    this.#secrets = secrets;
    this.#userBaseUrl = userBaseUrl;
  }

  /** The key saved for the server of `baseUrl`; undefined when none is, or the URL names no server. */
  async get(baseUrl: string): Promise<string | undefined> {
    await this.#migrated();
    const origin = keyOrigin(baseUrl);
    if (!origin) return undefined;
    const key = await this.#secrets.get(apiKeySecretName(origin));
    return key ? key : undefined;
  }

  /**
   * Saves `key` for the server of `baseUrl` only; an empty (or blank) key removes that server's
   * key. Returns the origin it was saved for; throws when the URL names no http(s) server.
   */
  async set(baseUrl: string, key: string): Promise<string> {
    const origin = keyOrigin(baseUrl);
    if (!origin) throw new Error('The base URL in settings is not an http(s) URL, so there is no server to keep a key for.');
    // First, so a key saved by an older version can never overwrite the one given now.
    await this.#migrated();
    const trimmed = key.trim();
    if (trimmed === '') await this.#secrets.delete(apiKeySecretName(origin));
    else await this.#secrets.store(apiKeySecretName(origin), trimmed);
    return origin;
  }

  /** Moves an older version's key once per activation; a failure is retried on the next use. */
  #migrated(): Promise<void> {
    this.#migration ??= this.#migrateLegacyKey().catch((error: unknown) => {
      this.#migration = undefined;
      throw error;
    });
    return this.#migration;
  }

  /**
   * The older version sent its one key wherever the base URL pointed; the user saved it for the
   * server of their own settings, so that origin inherits it — never one a workspace names. With
   * no usable user-level URL the old secret stays until there is one. A key already saved for
   * that origin wins.
   */
  async #migrateLegacyKey(): Promise<void> {
    const legacy = await this.#secrets.get(LEGACY_API_KEY_SECRET);
    if (legacy === undefined) return;
    const userBaseUrl = this.#userBaseUrl();
    const origin = userBaseUrl === undefined ? undefined : keyOrigin(userBaseUrl);
    if (!origin) return;
    const name = apiKeySecretName(origin);
    if (legacy.trim() !== '' && !(await this.#secrets.get(name))) await this.#secrets.store(name, legacy.trim());
    await this.#secrets.delete(LEGACY_API_KEY_SECRET);
  }
}
