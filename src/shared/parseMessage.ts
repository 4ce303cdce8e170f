import { webviewMessageSchema } from './protocol.ts';
import type { WebviewMessage } from './protocol.ts';

/** Result of checking one untrusted message; `reason` is one line for the log. */
export type ParsedMessage = { ok: true; message: WebviewMessage } | { ok: false; reason: string };

/**
 * Validates a message from the webview. The webview runs model output through Markdown, so its
 * messages are untrusted: unknown types, wrong fields and oversized strings are refused. Any input
 * whatsoever gives a result, never an exception: getters that throw and hostile proxies included.
 * The accepted message is zod's fresh copy, holding only the protocol's fields, so nothing the
 * sender keeps a hand on (a getter, a proxy) can change it after the check.
 */
export function parseWebviewMessage(raw: unknown): ParsedMessage {
  try {
    // The channel delivers JSON: anything else (a class instance, an array) is not a message.
    if (!isPlainObject(raw)) return refuse(raw, 'not a plain object');
    const result = webviewMessageSchema.safeParse(raw);
    if (result.success) return { ok: true, message: result.data };
    return refuse(raw, result.error.issues[0]?.message ?? 'invalid');
  } catch {
    return refuse(raw, 'unreadable');
  }
}

function isPlainObject(raw: unknown): raw is object {
  if (typeof raw !== 'object' || raw === null) return false;
  const prototype: unknown = Object.getPrototypeOf(raw);
  return prototype === Object.prototype || prototype === null;
}

function refuse(raw: unknown, why: string): ParsedMessage {
  return { ok: false, reason: `ignored webview message of type ${describeType(raw)}: ${why}` };
}

/** The message's `type` for the log: quoted and escaped when it is a string, else what it is. */
function describeType(raw: unknown): string {
  if (raw === null) return 'null';
  if (typeof raw !== 'object') return typeof raw;
  try {
    const type: unknown = Reflect.get(raw, 'type');
    // JSON.stringify escapes line breaks, so a hostile type cannot forge log lines.
    return typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type;
  } catch {
    return 'unreadable';
  }
}
