import * as vscode from 'vscode';
import { ApiKeys } from './apiKeys.ts';
import { DEFAULT_SETTINGS, SETTINGS_SECTION } from './settings.ts';

/**
 * The API keys, one per server origin, kept only in VS Code's SecretStorage: never in settings,
 * logs or the database. A key is sent only to the server it was saved for.
 */
export class ApiKeyStore extends ApiKeys {
  constructor(secrets: vscode.SecretStorage) {
    super(secrets, userBaseUrl);
  }
}

/** The base URL of the user's own settings (or the default), ignoring any workspace's value. */
function userBaseUrl(): string {
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<string>('baseUrl');
  const value = inspected?.globalValue?.trim();
  return value || inspected?.defaultValue || DEFAULT_SETTINGS.baseUrl;
}
