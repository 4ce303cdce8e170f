import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A workspace named by another tool as our workspace keys spell it (a URI): a URI stays as it
 * is, an absolute folder path becomes a `file:` URI, anything else becomes '' (names none).
 * Matching it against this machine's workspaces is the store's business.
 */
export function workspaceUri(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') return '';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return trimmed;
  if (isAbsolute(trimmed) || /^[a-z]:[\\/]/i.test(trimmed)) return pathToFileURL(trimmed).href;
  return '';
}
