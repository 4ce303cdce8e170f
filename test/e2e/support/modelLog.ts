// Reads the test model server's request log: what history did the model actually get?
import type { LoggedRequest, TestServer } from './harness.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/** Text of a message's content: a plain string, or the text parts of a content array. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

/** The conversation a request carried: Responses `input` or Chat Completions `messages`. */
function conversation(request: LoggedRequest): Json[] {
  if (!isObject(request.body)) return [];
  const list = request.body.input ?? request.body.messages;
  if (typeof list === 'string') return [{ role: 'user', content: list }];
  return Array.isArray(list) ? list.filter(isObject) : [];
}

/** The user messages a model request contained, oldest first. */
export function userTextsSent(request: LoggedRequest): string[] {
  return conversation(request)
    .filter((item) => item.role === 'user')
    .map((item) => contentText(item.content));
}

/** Requests to the model endpoints only (not /models lookups). */
export async function modelRequests(server: TestServer): Promise<LoggedRequest[]> {
  const all = await server.requests();
  return all.filter((request) => /\/(responses|chat\/completions)$/.test(request.path));
}

/** The newest model request whose last user message is `text`. */
export async function requestFor(server: TestServer, text: string): Promise<LoggedRequest | undefined> {
  const requests = await modelRequests(server);
  return requests.reverse().find((request) => userTextsSent(request).at(-1) === text);
}
