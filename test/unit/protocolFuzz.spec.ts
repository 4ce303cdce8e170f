// Throws thousands of random and hostile values at the webview message validator: it must answer
// every one without throwing, and accept exactly the messages a hand-written oracle calls valid.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../src/shared/parseMessage.ts';
import { MAX_CODE_CHARS, MAX_FIND_CHARS, MAX_ID_CHARS, MAX_MESSAGE_CHARS } from '../../src/shared/protocol.ts';

/** Small seeded generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const commands = ['undoTurn', 'redoTurn', 'clearSession', 'newThread', 'switchThread', 'setApiKey', 'selectModel', 'openSettings'];

/** The fields each message type needs, and what each field must be; written apart from the schemas. */
const fieldRules: Record<string, Record<string, (value: unknown) => boolean>> = {
  ready: {},
  'chat/send': { id: isId, text: (value) => typeof value === 'string' && value.length <= MAX_MESSAGE_CHARS },
  'chat/retry': { id: isId },
  'chat/abort': { id: isId },
  'thread/loadOlder': { id: isId, beforeId: (value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 },
  'thread/find': { id: isId, threadId: (value) => typeof value === 'string' && value.length >= 1 && value.length <= 200, query: (value) => typeof value === 'string' && value.length <= MAX_FIND_CHARS },
  'code/insert': { code: isCode },
  'code/copy': { code: isCode },
  'command/run': { command: (value) => typeof value === 'string' && commands.includes(value) },
};

function isId(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_ID_CHARS;
}

function isCode(value: unknown): boolean {
  return typeof value === 'string' && value.length <= MAX_CODE_CHARS;
}

/** The oracle for plain data: a JSON-like object whose type is known and whose fields follow their rules. */
function isValid(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(fieldRules, type)) return false;
  return Object.entries(fieldRules[type] ?? {}).every(([field, rule]) => rule(record[field]));
}

/** An accepted message is a fresh plain object of own data fields, exactly those of its type. */
function assertSafeCopy(message: unknown, raw: unknown): void {
  assert.notEqual(message, raw);
  assert.ok(isValid(message), `accepted an invalid message: ${show(message)}`);
  assert.equal(Object.getPrototypeOf(message), Object.prototype);
  const record = message as Record<string, unknown>;
  const descriptors = Object.values(Object.getOwnPropertyDescriptors(record));
  assert.ok(descriptors.every((descriptor) => 'value' in descriptor), 'only data fields');
  assert.deepEqual(Object.keys(record).sort(), ['type', ...Object.keys(fieldRules[record.type as string] ?? {})].sort());
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return '(unprintable)';
  }
}

const hugeText = 'x'.repeat(MAX_MESSAGE_CHARS + 1);
const hugeCode = 'y'.repeat(MAX_CODE_CHARS + 1);
const types = Object.keys(fieldRules);
const keys = ['type', 'id', 'text', 'code', 'command', 'beforeId', 'beforeIndex', 'threadId', 'query', '__proto__', 'constructor', 'toString', 'valueOf'];

/** Random plain data: what JSON could carry, plus a few values JSON cannot. */
function plainValue(next: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  switch (Math.floor(next() * 12)) {
    case 0:
      return pick([undefined, null, true, false]);
    case 1:
      return pick([0, -0, 1, -1, 1.5, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, 2 ** 53 + 2, 1e308, Math.floor(next() * 1000)]);
    case 2:
      return pick(['', 'r1', 'ready', '\n', '\u0000', '\u202e', 'i'.repeat(MAX_ID_CHARS), 'i'.repeat(MAX_ID_CHARS + 1), hugeText, ...types, ...commands]);
    case 3:
      return pick(types);
    case 4:
      return pick([10n, Symbol('s'), () => 'ready']);
    case 5:
      return depth > 3 ? null : Array.from({ length: Math.floor(next() * 4) }, () => plainValue(next, depth + 1));
    default: {
      if (depth > 3) return {};
      const record: Record<string, unknown> = next() < 0.1 ? Object.create(null) : {};
      const count = Math.floor(next() * 5);
      for (let i = 0; i < count; i++) {
        const key = pick(keys);
        // An own "__proto__" key (as JSON.parse makes), never the object's prototype.
        Object.defineProperty(record, key, { value: plainValue(next, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return record;
    }
  }
}

/** A valid message of a random type, then maybe one field broken, dropped or added. */
function nearlyValid(next: () => number): Record<string, unknown> {
  const type = types[Math.floor(next() * types.length)] as string;
  const valid: Record<string, unknown> = {
    type,
    id: `r${Math.floor(next() * 1e6)}`,
    text: next() < 0.05 ? hugeText : 'hello',
    code: next() < 0.05 ? hugeCode : 'x = 1',
    command: commands[Math.floor(next() * commands.length)],
    beforeId: Math.floor(next() * 1e9),
    threadId: next() < 0.05 ? 't'.repeat(201) : 'thread-1',
    query: next() < 0.05 ? 'q'.repeat(MAX_FIND_CHARS + 1) : 'parse "Item(',
  };
  const message: Record<string, unknown> = { type };
  for (const field of Object.keys(fieldRules[type] ?? {})) message[field] = valid[field];
  const roll = next();
  const field = keys[Math.floor(next() * keys.length)] as string;
  if (roll < 0.3) delete message[field];
  else if (roll < 0.7) Object.defineProperty(message, field, { value: plainValue(next, 1), enumerable: true, writable: true, configurable: true });
  return message;
}

/** Values built to break a careless reader: getters, proxies, prototypes, cycles, deep nesting. */
function hostile(next: () => number): unknown {
  const base = nearlyValid(next);
  const boom = (): never => {
    throw new Error('hostile');
  };
  switch (Math.floor(next() * 12)) {
    case 0:
      return { ...base, get type() { return boom(); } };
    case 1:
      return new Proxy(base, { get: boom });
    case 2:
      return new Proxy(base, { getPrototypeOf: boom });
    case 3:
      return new Proxy(base, { has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom });
    case 4: {
      const revocable = Proxy.revocable(base, {});
      revocable.revoke();
      return revocable.proxy;
    }
    case 5: {
      // A field that reads as valid once, then as something else.
      let reads = 0;
      return new Proxy(base, { get: (target, key) => (reads++ === 0 ? Reflect.get(target, key) : { toString: 1 }) });
    }
    case 6:
      return { ...base, type: pick(next, [{ toString: 1 }, { toString: boom }, { valueOf: boom, toString: boom }, Object.create(null), Symbol('t')]) };
    case 7:
      return Object.setPrototypeOf({ ...base }, { type: 'ready' });
    case 8: {
      const inherited = Object.create(base);
      return inherited;
    }
    case 9: {
      const cyclic: Record<string, unknown> = { ...base };
      cyclic.text = cyclic;
      cyclic.code = cyclic;
      return cyclic;
    }
    case 10: {
      let deep: unknown = base;
      for (let i = 0; i < 10_000; i++) deep = { type: deep, id: deep };
      return deep;
    }
    default:
      return Object.assign(Object.create(Array.prototype), base);
  }
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function check(raw: unknown, exact: boolean): void {
  let result: ReturnType<typeof parseWebviewMessage>;
  try {
    result = parseWebviewMessage(raw);
  } catch (error) {
    assert.fail(`threw on ${show(raw)}: ${String(error)}`);
  }
  if (result.ok) assertSafeCopy(result.message, raw);
  else {
    assert.equal(typeof result.reason, 'string');
    assert.doesNotMatch(result.reason, /[\r\n]/, 'one log line');
  }
  if (exact) assert.equal(result.ok, isValid(raw), `oracle disagrees on ${show(raw)}`);
}

describe('parseWebviewMessage under fuzzing', () => {
  test('plain random data: never throws, accepts exactly the valid messages', () => {
    const next = random(20_261_128);
    let accepted = 0;
    for (let i = 0; i < 4000; i++) {
      const raw = i % 2 === 0 ? nearlyValid(next) : plainValue(next, 0);
      check(raw, true);
      if (isValid(raw)) accepted++;
    }
    assert.ok(accepted > 500, `the generator made enough valid messages (${accepted})`);
  });

  test('hostile values: never throws, and whatever it accepts is a valid copy', () => {
    const next = random(42);
    for (let i = 0; i < 2000; i++) check(hostile(next), false);
  });
});
