import { createRequire } from 'node:module';
import type { ChatHost, ChatHostOptions, startChat } from './chatHost.ts';

/** The chat bundle's module (dist/chat.js, built from src/host/chatHost.ts). */
interface ChatModule {
  startChat: typeof startChat;
}

/**
 * Loads the chat (dist/chat.js, beside dist/extension.js) the first time something needs it, once:
 * the database, the model client and the schemas cost nothing until a surface opens, a command
 * runs or an agent calls the history tool. A failed load is logged and tried again next time.
 */
export class ChatLoader {
  readonly #options: ChatHostOptions;
  #loading: Promise<ChatHost> | undefined;
  #loaded: ChatHost | undefined;

  constructor(options: ChatHostOptions) {
    this.#options = options;
  }

  /** The chat if it is loaded, without loading it. */
  get loaded(): ChatHost | undefined {
    return this.#loaded;
  }

  load(): Promise<ChatHost> {
    this.#loading ??= this.#start().then(
      (host) => (this.#loaded = host),
      (error: unknown) => {
        this.#loading = undefined;
        this.#options.log.error(`Session Chat could not load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        throw error;
      },
    );
    return this.#loading;
  }

  async #start(): Promise<ChatHost> {
    const started = performance.now();
    // A path relative to this bundle's own file, so it holds wherever the extension is installed, on any OS.
    const chat = createRequire(import.meta.url)('./chat.js') as ChatModule;
    const host = await chat.startChat(this.#options);
    this.#options.log.info(`Chat loaded in ${Math.round(performance.now() - started)} ms`);
    return host;
  }
}
