// The test model server the harness started (test/fixtures/serve.ts), seen from inside the extension host:
// its control API tells what the extension really sent over HTTP.
import { testServerUrl } from './harnessEnv.ts';

/** One model request as the server logged it. */
export interface LoggedRequest {
  method: string;
  path: string;
  body: unknown;
}

function origin(): string {
  const url = testServerUrl();
  if (!url) throw new Error('SESSION_CHAT_TEST_SERVER is not set: the harness must start the test model server');
  return new URL(url).origin;
}

/** Every model request since the last reset, oldest first. */
export async function modelRequests(): Promise<LoggedRequest[]> {
  const response = await fetch(`${origin()}/_test/requests`);
  if (!response.ok) throw new Error(`GET /_test/requests: HTTP ${response.status}`);
  return (await response.json()) as LoggedRequest[];
}

/** The newest model request; fails when there is none. */
export async function lastModelRequest(): Promise<{ model: string; input: unknown[] }> {
  const requests = (await modelRequests()).filter((request) => request.method === 'POST');
  const last = requests.at(-1);
  if (!last) throw new Error('the model server received no request');
  return last.body as { model: string; input: unknown[] };
}

/** Forgets logged requests and queued behaviours. */
export async function resetModelServer(): Promise<void> {
  const response = await fetch(`${origin()}/_test/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`POST /_test/reset: HTTP ${response.status}`);
}

/** Queues a behaviour (test/fixtures/behaviour.ts) for the next request(s). */
export async function nextModelBehaviour(behaviour: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${origin()}/_test/next`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(behaviour) });
  if (!response.ok) throw new Error(`POST /_test/next: HTTP ${response.status}`);
}
