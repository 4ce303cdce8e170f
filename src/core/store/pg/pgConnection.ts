/**
 * The connection string as the user gives it, and what may be said about it: where it points
 * (never who or with which password), whether a failure means the server is away, and error
 * words with every trace of the string removed.
 */

/** Why the server could not be used: `unreachable` (down, no route, dropped), `slow` (timed out), `refused` (it answered no). */
export type PgTrouble = 'unreachable' | 'slow' | 'refused';

/** Checks the form of a connection string; the reason never repeats the string. */
export function checkConnectionString(text: string): { ok: true } | { ok: false; reason: string } {
  const value = text.trim();
  if (value === '') return { ok: false, reason: 'Enter a connection string.' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'This is not a URL: it should look like postgresql://user:password@host:5432/database.' };
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') return { ok: false, reason: 'It should start with postgresql:// (or postgres://).' };
  if (url.hostname === '') return { ok: false, reason: 'The host is missing: postgresql://user:password@host:5432/database.' };
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null && !SSL_MODES.has(sslmode)) return { ok: false, reason: `sslmode must be one of ${[...SSL_MODES].join(', ')}.` };
  return { ok: true };
}

const SSL_MODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

/**
 * The string handed to the driver, with TLS as libpq's `sslmode` means it: `disable` (or none)
 * plain; `allow`, `prefer` and `require` encrypted without checking the certificate (the driver
 * cannot fall back to plain text, so `allow` and `prefer` need a server with TLS); `verify-ca`
 * the certificate checked against `sslrootcert`; `verify-full` also the host name. (The `pg`
 * driver would otherwise read `require` as `verify-full`.)
 */
export function driverConnectionString(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return text;
  }
  const mode = url.searchParams.get('sslmode');
  if (mode === null || url.searchParams.has('uselibpqcompat')) return url.toString();
  if (mode === 'allow') url.searchParams.set('sslmode', 'prefer');
  url.searchParams.set('uselibpqcompat', 'true');
  return url.toString();
}

/** Where a connection string points, without its user name or password (for logs and the status bar). */
export function describeConnection(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'a PostgreSQL server';
  }
}

/** Socket errors meaning nobody answered or the line dropped. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);
/** SQLSTATEs of a server that is going away or not up yet. */
const SHUTTING_DOWN = new Set(['57P01', '57P02', '57P03']);
/** SQLSTATEs of a server that answered no: credentials, database, rights, connection limit. */
const REFUSING = new Set(['28P01', '28000', '3D000', '42501', '53300', '08004', 'SC001']);

function field(error: unknown, name: string): string | undefined {
  if (typeof error !== 'object' || error === null || !(name in error)) return undefined;
  const value = (error as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** What kind of trouble a failed call had with the server; undefined for an error of the call itself (a bug, bad data). */
export function classifyPgError(error: unknown): PgTrouble | undefined {
  const code = field(error, 'code');
  const message = field(error, 'message') ?? String(error);
  if (code && REFUSING.has(code)) return 'refused';
  if (code === '57014' || /timeout exceeded when trying to connect|Connection terminated due to connection timeout|Query read timeout/i.test(message)) return 'slow';
  if (code && (UNREACHABLE_CODES.has(code) || SHUTTING_DOWN.has(code) || code.startsWith('08'))) return 'unreachable';
  if (/Connection terminated|connection error and is not queryable|Cannot use a pool after calling end|socket hang up/i.test(message)) return 'unreachable';
  if (/SSL|TLS|certificate|self[- ]signed/i.test(message) || (code !== undefined && /CERT|TLS|SSL/.test(code))) return 'refused';
  return undefined;
}

/** A short reason for the user, from a failure {@link classifyPgError} recognised (already redacted). */
export function troubleWords(error: unknown, connectionString: string): string {
  const code = field(error, 'code');
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    EHOSTUNREACH: 'no route to the host',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'the connection timed out',
    ECONNRESET: 'the connection was reset',
    '57014': 'a statement took too long and was cancelled',
    '28P01': 'the password or user name was not accepted',
    '28000': 'the server does not let this user in',
    '3D000': 'the database does not exist',
    '42501': 'the user lacks a permission',
    '53300': 'the server has too many connections',
  };
  const said = code ? words[code] : undefined;
  return said ?? redactConnection(field(error, 'message') ?? String(error), connectionString);
}

/**
 * `text` with every trace of the connection string removed: the string itself, its password (as
 * written and decoded) and user name, and any `scheme://user:password@` elsewhere.
 */
export function redactConnection(text: string, connectionString: string | undefined): string {
  let result = text;
  const secrets: string[] = [];
  if (connectionString) {
    secrets.push(connectionString, connectionString.trim());
    try {
      const url = new URL(connectionString.trim());
      for (const part of [url.password, url.username]) {
        if (part.length >= 3) secrets.push(part, decodeSafe(part));
      }
    } catch {
      // Not a URL: the whole string is all there is to hide.
    }
  }
  for (const secret of [...new Set(secrets)].sort((a, b) => b.length - a.length)) {
    if (secret) result = result.split(secret).join('***');
  }
  return result.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1***@');
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
