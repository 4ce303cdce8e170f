import { ModelSourceError, type RunError } from './runError.ts';

/** A model server people run on their own machine, at its usual address. */
export interface LocalServer {
  name: string;
  baseUrl: string;
}

/** Ollama and LM Studio at their default ports (both speak Chat Completions under /v1). */
export const LOCAL_SERVERS: readonly LocalServer[] = [
  { name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
  { name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1' },
];

/** A local server answers within this, or it is not there: a loopback port either answers at once or is closed. */
export const LOCAL_PROBE_TIMEOUT_MS = 800;

/** The settings' server is probed for this long when a surface opens; a slow server is given the benefit of the doubt. */
export const SETTINGS_PROBE_TIMEOUT_MS = 2_000;

/** Lists a server's models (`GET {baseUrl}/models`); rejects with a ModelSourceError. */
export type ListModels = (baseUrl: string, apiKey: string | undefined, signal: AbortSignal) => Promise<string[]>;

/** What a probe learnt about a server. */
export type ProbeResult = { ok: true; models: string[] } | { ok: false; error: RunError };

/**
 * Asks a server for its models, giving up after `timeoutMs` (reported as a `timeout`). Never
 * rejects: a probe only tells whether the server is there and what it said.
 */
export async function probeModels(list: ListModels, baseUrl: string, apiKey: string | undefined, timeoutMs: number): Promise<ProbeResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return { ok: true, models: await list(baseUrl, apiKey, controller.signal) };
  } catch (error) {
    if (controller.signal.aborted) return { ok: false, error: { kind: 'timeout' } };
    if (error instanceof ModelSourceError) return { ok: false, error: error.runError };
    return { ok: false, error: { kind: 'unknown', detail: error instanceof Error ? error.message : String(error) } };
  } finally {
    clearTimeout(timer);
  }
}

/** The local servers that answer, with their models, probed at the same time. */
export async function detectLocalServers(list: ListModels, servers: readonly LocalServer[] = LOCAL_SERVERS, timeoutMs = LOCAL_PROBE_TIMEOUT_MS): Promise<(LocalServer & { models: string[] })[]> {
  const results = await Promise.all(servers.map(async (server) => ({ server, result: await probeModels(list, server.baseUrl, undefined, timeoutMs) })));
  return results.flatMap(({ server, result }) => (result.ok ? [{ ...server, models: result.models }] : []));
}

/** Why the panel offers setup; undefined when the settings look usable. */
export type SetupReason = 'notChosen' | 'noKey' | 'unreachable';

/** What is known about the settings when a surface opens. */
export interface SetupFacts {
  baseUrl: string;
  /** The user (or a workspace) set `sessionChat.baseUrl` or `sessionChat.model` themselves. */
  chosen: boolean;
  /** A key is saved for the base URL's origin. */
  hasKey: boolean;
  /** Probes the base URL (only called when nothing else decides). */
  probe(): Promise<ProbeResult>;
}

/** Servers that always need a key: asking them without one can only fail. */
const KEY_REQUIRED_HOSTS = /(^|\.)(openai\.com|openai\.azure\.com|openrouter\.ai|anthropic\.com|groq\.com|mistral\.ai|together\.xyz|deepseek\.com)$/i;

/**
 * Decides whether the panel should offer setup, cheaply first:
 * - a key is saved for the server: assume usable (a wrong key shows as a 401 with Set API Key);
 * - a hosted API that always needs a key (api.openai.com, ...) and none saved: setup, no request;
 * - any other server without a key (a local or self-hosted one): one quick `GET /models` probe;
 *   it answering (even 404: some servers have no model list) means usable, 401/403 means a key is
 *   needed, a refused or unresolvable address means unreachable (a slow one is given the benefit of the doubt).
 */
export async function decideSetup(facts: SetupFacts): Promise<SetupReason | undefined> {
  if (facts.hasKey) return undefined;
  let host: string;
  try {
    host = new URL(facts.baseUrl).hostname;
  } catch {
    return facts.chosen ? 'unreachable' : 'notChosen';
  }
  if (KEY_REQUIRED_HOSTS.test(host)) return facts.chosen ? 'noKey' : 'notChosen';
  const probed = await facts.probe();
  if (probed.ok) return undefined;
  switch (probed.error.kind) {
    case 'auth':
    case 'forbidden':
      return 'noKey';
    case 'offline':
    case 'refused':
    case 'connection':
    case 'invalidUrl':
      return 'unreachable';
    default:
      // It answered, just not with a model list, or it is slow: let the first message tell the rest.
      return undefined;
  }
}
