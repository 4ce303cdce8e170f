// The search benchmark's history: deterministic chat text and code, generated from a seed.
// Words follow a Zipf-like law (a few words everywhere, most words rare), as real text does;
// answers carry identifiers, file paths and fenced code; some messages have accents or Japanese.
import type { Item } from '../src/core/session/session.ts';

/** A small, fast, seeded generator (mulberry32): the same corpus on every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the to of and a in is it you that for this on with be can as are not your if but or by have from use will an which ' +
  'function file value data type code return error string list when one should then need make call first new each more ' +
  'test run change read write item add time way like also case set get only what how does there here just because into ' +
  'user thread message answer question model session store history index search query table row column page turn undo ' +
  'redo clear delete version branch commit merge build bundle module import export class method field option setting ' +
  'server client request response stream token cache buffer queue worker process thread lock transaction database schema ' +
  'migration backup restore config window panel editor workspace folder path extension command palette keyboard shortcut ' +
  'render layout style theme color contrast focus scroll cursor selection range offset length width height border margin ' +
  'promise async await callback event listener handler emitter dispose timer interval timeout retry backoff signal abort ' +
  'parse serialize encode decode escape quote format locale unicode accent emoji character byte utf8 newline whitespace ' +
  'benchmark median latency throughput memory allocation garbage pointer reference closure generator iterator sequence ' +
  'compiler typescript javascript python rust golang kotlin swift haskell ocaml erlang elixir clojure scala fortran cobol ' +
  'sqlite postgres redis kafka docker kubernetes terraform ansible nginx apache tomcat jenkins gradle maven webpack esbuild ' +
  'lighthouse telescope gazebo windmill lantern harbour glacier meadow canyon orchard quarry saddle tundra volcano zephyr'
).split(' ');

const IDENTIFIERS = [
  'parseItem', 'readHistory', 'writeHistory', 'applyTransaction', 'undoTurn', 'redoTurn', 'clearThread', 'listThreads',
  'createThread', 'renameThread', 'getItems', 'addItems', 'popItem', 'openDatabase', 'retryWhileBusy', 'buildSnapshot',
  'itemsToTurns', 'renderMarkdown', 'postMessage', 'onDidChange', 'handleRequest', 'streamAnswer', 'abortRun', 'loadOlder',
];
const PATHS = ['src/core/store/historyStore.ts', 'src/host/chat/chatController.ts', 'src/webview/app.ts', 'test/unit/search.spec.ts', 'lib/utils/format.py', 'cmd/server/main.go', 'README.md', 'package.json'];
const ACCENTED = ['naïve', 'café', 'résumé', 'über', 'façade', 'señor', 'déjà vu', 'crème brûlée', 'Ångström', 'Straße'];
const JAPANESE = ['こんにちは、元気ですか。', 'データベースの索引を作ります。', '検索はとても速いです。', 'ありがとうございます。'];

/** Zipf-like: word i is picked with weight 1 / (i + 2). */
function zipfTable(): number[] {
  const weights = WORDS.map((_, i) => 1 / (i + 2));
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  return weights.map((w) => (sum += w / total));
}

/** Generates messages, tool calls and outputs from one seed. */
export class Corpus {
  readonly #next: () => number;
  readonly #cumulative = zipfTable();

  constructor(seed: number) {
    this.#next = random(seed);
  }

  #int(n: number): number {
    return Math.floor(this.#next() * n);
  }

  #pick<T>(list: readonly T[]): T {
    return list[this.#int(list.length)]!;
  }

  #word(): string {
    const r = this.#next();
    let lo = 0;
    let hi = this.#cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return WORDS[lo]!;
  }

  sentence(): string {
    const words: string[] = [];
    const length = 6 + this.#int(12);
    for (let i = 0; i < length; i++) {
      const roll = this.#next();
      if (roll < 0.05) words.push(`\`${this.#pick(IDENTIFIERS)}()\``);
      else if (roll < 0.07) words.push(this.#pick(PATHS));
      else if (roll < 0.075) words.push(this.#pick(ACCENTED));
      else words.push(this.#word());
    }
    const text = words.join(' ');
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  }

  paragraph(sentences: number): string {
    const out: string[] = [];
    for (let i = 0; i < sentences; i++) out.push(this.sentence());
    if (this.#next() < 0.03) out.push(this.#pick(JAPANESE));
    return out.join(' ');
  }

  code(lines: number): string {
    const out: string[] = [];
    for (let i = 0; i < lines; i++) {
      const name = this.#pick(IDENTIFIERS);
      const roll = this.#int(4);
      if (roll === 0) out.push(`const ${this.#word()}${i} = await ${name}(${this.#word()}, ${this.#int(100)});`);
      else if (roll === 1) out.push(`if (!${this.#word()}) throw new Error('${this.sentence()}');`);
      else if (roll === 2) out.push(`for (const ${this.#word()} of ${name}(items)) total += ${this.#word()}.length;`);
      else out.push(`// ${this.sentence()}`);
    }
    return out.join('\n');
  }

  /** One turn: a question, sometimes tool calls with their outputs, an answer (often with code). */
  turn(turnNumber: number): Item[] {
    const items: Item[] = [{ type: 'message', role: 'user', content: this.paragraph(1 + this.#int(3)) }];
    const calls = this.#next() < 0.3 ? 1 + this.#int(2) : 0;
    for (let c = 0; c < calls; c++) {
      const callId = `call_${turnNumber}_${c}`;
      const path = this.#pick(PATHS);
      items.push(
        { type: 'function_call', call_id: callId, name: this.#pick(['read_file', 'search_files', 'list_dir']), arguments: JSON.stringify({ path, query: this.#word() }) },
        { type: 'function_call_output', call_id: callId, output: `${path}\n${this.code(8 + this.#int(30))}` },
      );
    }
    let answer = this.paragraph(2 + this.#int(6));
    if (this.#next() < 0.35) answer += `\n\n\`\`\`ts\n${this.code(4 + this.#int(20))}\n\`\`\`\n\n${this.paragraph(1 + this.#int(3))}`;
    items.push({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: answer }] });
    return items;
  }
}
