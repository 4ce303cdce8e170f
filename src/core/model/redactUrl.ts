/**
 * Keeping the base URL's secrets out of words. A user may put a key in the base URL (`user:key@`,
 * `?api-key=...`); it must never reach the panel, a notification or the log.
 */

/** A URL fit to show or log: origin and path only, without `user:password@`, query or fragment. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(not a valid URL)';
  }
}

/** What is wrong with a base URL, in words for a `RunError.detail`. */
export const BASE_URL_PROBLEMS = {
  syntax: 'the base URL is not a valid URL',
  scheme: 'the base URL does not start with http:// or https://',
  credentials: 'the base URL contains a user name or password',
} as const;

/**
 * Why no request can go to this base URL, or undefined when one can. A URL with credentials never
 * works: fetch refuses to build a request from it.
 */
export function baseUrlProblem(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return BASE_URL_PROBLEMS.syntax;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return BASE_URL_PROBLEMS.scheme;
  if (url.username !== '' || url.password !== '') return BASE_URL_PROBLEMS.credentials;
  return undefined;
}

/** Query values shorter than this are left alone: removing "1" would garble every number. */
const MIN_QUERY_SECRET = 4;

/** The parts of a base URL that may be secret, longest first so a part inside another goes too. */
function secretParts(baseUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return [];
  }
  const parts = [url.username, url.password, url.search.slice(1), url.hash.slice(1)];
  for (const value of url.searchParams.values()) if (value.length >= MIN_QUERY_SECRET) parts.push(value);
  const decoded = parts.flatMap((part) => {
    try {
      return [part, decodeURIComponent(part)];
    } catch {
      return [part];
    }
  });
  return [...new Set(decoded.filter((part) => part !== ''))].sort((a, b) => b.length - a.length);
}

/**
 * `text` (an error message from a library or a server) with every URL in it redacted and the base
 * URL's user name, password and query removed, wherever they appear.
 */
export function redactText(text: string, baseUrl: string): string {
  let result = text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]+/gi, (url) => redactUrl(url));
  for (const part of secretParts(baseUrl)) result = result.replaceAll(part, '***');
  return result;
}
