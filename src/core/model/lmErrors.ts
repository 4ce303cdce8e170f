import type { RunError } from './runError.ts';

/**
 * What VS Code's Language Model API throws, seen without the `vscode` module: a
 * `LanguageModelError` has `name: 'LanguageModelError'` and a `code` (`NoPermissions`, `Blocked`,
 * `NotFound`, or whatever the model's provider passed, e.g. Copilot's quota and rate-limit codes).
 */
export interface LanguageModelErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
}

/** Longest provider message kept as a detail: providers may put a whole response body there. */
const MAX_DETAIL_CHARS = 300;

/** Codes and words of a used-up quota or a rate limit; providers (Copilot, Cline, Roo) word them differently. */
const QUOTA_WORDS = /quota|rate[ _-]?limit|too many requests|\b429\b/i;

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, MAX_DETAIL_CHARS) : undefined;
}

/** True for the shape VS Code gives every `LanguageModelError` (also when it crossed the extension host boundary). */
export function isLanguageModelError(error: unknown): error is LanguageModelErrorLike {
  return typeof error === 'object' && error !== null && (error as LanguageModelErrorLike).name === 'LanguageModelError';
}

/**
 * A failed Language Model API call as a `RunError`:
 * - `NoPermissions`: the user has not allowed Session Chat to use the model (or declined the dialog) → `lmNoConsent`;
 * - `Blocked`: VS Code blocks this extension's requests (too many of them, or a policy) → `lmBlocked`;
 * - `NotFound`: the model is gone (its extension disabled, signed out) → `lmNotFound`;
 * - a code or message about a quota or a rate limit, whatever the provider called it → `lmQuota`;
 * - any other `LanguageModelError` → `lmUnavailable`; anything else → `unknown`.
 * `detail` keeps the provider's words (they never hold a secret of ours: the API has no key).
 */
export function lmRunError(error: unknown): RunError {
  const message = typeof error === 'object' && error !== null ? textOf((error as LanguageModelErrorLike).message) : textOf(error);
  const detail = message === undefined ? {} : { detail: message };
  if (!isLanguageModelError(error)) {
    if (typeof error === 'object' && error !== null && QUOTA_WORDS.test(`${String((error as LanguageModelErrorLike).code ?? '')} ${message ?? ''}`)) return { kind: 'lmQuota', ...detail };
    return { kind: 'unknown', ...detail };
  }
  const code = typeof error.code === 'string' ? error.code : '';
  switch (code) {
    case 'NoPermissions':
      return { kind: 'lmNoConsent', ...detail };
    case 'Blocked':
      return { kind: 'lmBlocked', ...detail };
    case 'NotFound':
      return { kind: 'lmNotFound', ...detail };
    default:
      return QUOTA_WORDS.test(`${code} ${message ?? ''}`) ? { kind: 'lmQuota', ...detail } : { kind: 'lmUnavailable', ...detail };
  }
}
