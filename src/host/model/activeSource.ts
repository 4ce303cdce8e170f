import { OpenAiCompatibleSource } from '../../core/model/openAiCompatibleSource.ts';
import type { ModelSource } from '../../core/model/modelSource.ts';
import type { ChatSettings, ModelSourceKind } from '../platform/settings.ts';
import { VscodeLmSource } from './vscodeLmSource.ts';

/** The source the settings choose, and which one it is (for the log and the error words). */
export interface ActiveModelSource {
  source: ModelSource;
  kind: ModelSourceKind;
}

/**
 * Where the next request goes, per `sessionChat.modelSource`: a model of VS Code's Language Model
 * API (no key, no server), or the OpenAI-compatible server of `sessionChat.baseUrl` with its key.
 */
export function activeModelSource(settings: ChatSettings, apiKey: string | undefined): ActiveModelSource {
  if (settings.modelSource === 'vscode') return { source: new VscodeLmSource(), kind: 'vscode' };
  return { source: new OpenAiCompatibleSource({ baseUrl: settings.baseUrl, apiKey, api: settings.api }), kind: 'openai-compatible' };
}
