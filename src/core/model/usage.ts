/**
 * Token usage of one answer, summed over every request it took (tool rounds ask again). Sources
 * report what their API reports; where a figure is missing it is estimated and marked as such.
 */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Of `inputTokens`, the ones served from the server's prompt cache (0 when not reported). */
  cachedTokens: number;
  /** True when any figure was estimated rather than reported by the source. */
  estimated: boolean;
  /** How many model requests the answer took. */
  requests: number;
}

/** What a source reported for one request; a field it did not report is absent. */
export interface ReportedUsage {
  inputTokens?: number;
  outputTokens?: number;
  cachedTokens?: number;
  /**
   * The figures were counted on our side (VS Code's `countTokens` on what was sent and received),
   * not reported by whoever bills them: shown as estimated.
   */
  counted?: boolean;
}

/**
 * A wire API's three token counts (anything: servers send what they like) as a {@link ReportedUsage};
 * undefined when neither input nor output is a count.
 */
export function usageFromCounts(input: unknown, output: unknown, cached: unknown): ReportedUsage | undefined {
  const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined);
  const reported: ReportedUsage = {};
  const [inputTokens, outputTokens, cachedTokens] = [count(input), count(output), count(cached)];
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  if (inputTokens !== undefined) reported.inputTokens = inputTokens;
  if (outputTokens !== undefined) reported.outputTokens = outputTokens;
  if (cachedTokens !== undefined) reported.cachedTokens = cachedTokens;
  return reported;
}

/** Characters per token of the estimate: the usual rule of thumb for English text and code with BPE tokenizers. */
export const CHARS_PER_TOKEN = 4;

/** An estimate of the tokens of `text` (no tokenizer: the model's own is unknown to us). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** No usage yet: the start of a sum. */
export function emptyUsage(): TokenUsage {
  return { inputTokens: 0, outputTokens: 0, cachedTokens: 0, estimated: false, requests: 0 };
}

/** The sum of two usages (an answer's rounds, a thread's answers). */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    estimated: a.estimated || b.estimated,
    requests: a.requests + b.requests,
  };
}

/**
 * One request's usage: what the source reported, and estimates (from the text sent and received)
 * for what it did not report.
 */
export function requestUsage(reported: ReportedUsage | undefined, sentText: () => string, receivedText: string): TokenUsage {
  const input = reported?.inputTokens;
  const output = reported?.outputTokens;
  return {
    inputTokens: input ?? estimateTokens(sentText()),
    outputTokens: output ?? estimateTokens(receivedText),
    cachedTokens: reported?.cachedTokens ?? 0,
    estimated: input === undefined || output === undefined || reported?.counted === true,
    requests: 1,
  };
}
