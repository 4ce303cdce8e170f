import OpenAI from 'openai';

/** Longest wait for the model list: a picker that hangs is worse than typing the name. */
const LIST_TIMEOUT_MS = 10_000;
/** Servers such as OpenRouter list hundreds of models; more than this is not pickable anyway. */
const MAX_MODELS = 2000;

/** The model ids the server offers (`GET {baseUrl}/models`), sorted. Throws when the server refuses. */
export async function listModels(baseUrl: string, apiKey: string | undefined): Promise<string[]> {
  // Local servers need no key, but the client insists on one: send a harmless placeholder.
  const client = new OpenAI({ baseURL: baseUrl, apiKey: apiKey ?? 'no-key', timeout: LIST_TIMEOUT_MS, maxRetries: 0 });
  const ids = new Set<string>();
  for await (const model of client.models.list()) {
    ids.add(model.id);
    if (ids.size >= MAX_MODELS) break;
  }
  return [...ids].sort((a, b) => a.localeCompare(b));
}
