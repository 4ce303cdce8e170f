import type * as vscode from 'vscode';

/** The SecretStorage key of the API key. The key is never written to settings, logs or the database. */
export const API_KEY_SECRET = 'sessionChat.apiKey';

/** The API key, kept only in VS Code's SecretStorage. */
export class ApiKeyStore {
  private readonly secrets: vscode.SecretStorage;

  constructor(secrets: vscode.SecretStorage) {
    this.secrets = secrets;
  }

  /** The stored key, or undefined when none is set. */
  async get(): Promise<string | undefined> {
    const key = await this.secrets.get(API_KEY_SECRET);
    return key ? key : undefined;
  }

  /** Stores the key; an empty (or blank) key removes it. */
  async set(key: string): Promise<void> {
    const trimmed = key.trim();
    if (trimmed === '') await this.secrets.delete(API_KEY_SECRET);
    else await this.secrets.store(API_KEY_SECRET, trimmed);
  }
}
