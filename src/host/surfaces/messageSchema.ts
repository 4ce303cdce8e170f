import { z } from 'zod';
import type { PanelCommand, WebviewMessage } from '../../shared/protocol.ts';

/** Longest request id accepted; the webview makes short ids. */
const MAX_ID = 128;
/** Longest message a user can send (about 25k tokens); longer text is rejected, not cut. */
export const MAX_MESSAGE_CHARS = 100_000;
/** Longest code block the webview may ask to insert or copy. */
const MAX_CODE_CHARS = 1_000_000;

const id = z.string().min(1).max(MAX_ID);

const panelCommands = [
  'undoTurn',
  'redoTurn',
  'clearSession',
  'newThread',
  'switchThread',
  'setApiKey',
  'selectModel',
  'openSettings',
] as const satisfies readonly PanelCommand[];

/** Every message the webview may send; anything else is dropped. Mirrors `WebviewMessage`. */
const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('chat/send'), id, text: z.string().max(MAX_MESSAGE_CHARS) }),
  z.object({ type: z.literal('chat/retry'), id }),
  z.object({ type: z.literal('chat/abort'), id }),
  z.object({ type: z.literal('thread/loadOlder'), id, beforeIndex: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }),
  z.object({ type: z.literal('code/insert'), code: z.string().max(MAX_CODE_CHARS) }),
  z.object({ type: z.literal('code/copy'), code: z.string().max(MAX_CODE_CHARS) }),
  z.object({ type: z.literal('command/run'), command: z.enum(panelCommands) }),
]);

/** Result of checking one untrusted message. */
export type ParsedMessage = { ok: true; message: WebviewMessage } | { ok: false; reason: string };

/**
 * Validates a message from the webview. The webview runs model output through Markdown, so it is
 * treated as untrusted: unknown types, wrong fields and oversized strings are refused.
 */
export function parseWebviewMessage(raw: unknown): ParsedMessage {
  const result = webviewMessageSchema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type).slice(0, 40) : typeof raw;
  return { ok: false, reason: `ignored webview message of type "${type}": ${result.error.issues[0]?.message ?? 'invalid'}` };
}
