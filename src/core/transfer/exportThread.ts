import { asObject, type LooseItem } from '../items/itemFields.ts';
import { parseTime, storedItemText } from './exportFormat.ts';
import { skipped, type ImportEvent } from './importEvent.ts';
import type { ThreadRecord, VersionGroupRecord } from './threadRecord.ts';

/** Thrown for a thread that breaks the format; its message is the reason the user reads. */
class BadThread extends Error {}

/**
 * One thread of an export (already parsed) as a record for the store, or a skipped event saying
 * what is wrong with it. Items go back to their stored text byte for byte: the `raw` text where
 * the export kept one, else the item's compact JSON. Item types are not checked: an export may
 * hold SDK items this version does not know, and they are kept as they are.
 */
export function exportedThread(value: unknown, path: string, position: number): ImportEvent {
  const object = asObject(value);
  const id = object && typeof object.id === 'string' && object.id !== '' ? object.id : undefined;
  const source = `${path}#${id ?? position}`;
  try {
    if (!object) throw new BadThread('is not a JSON object');
    if (id === undefined) throw new BadThread('has no "id"');
    const record: ThreadRecord = {
      id,
      title: typeof object.title === 'string' ? object.title : '',
      workspaceKey: typeof object.workspace === 'string' ? object.workspace : '',
      createdAt: time(object, 'createdAt'),
      updatedAt: time(object, 'updatedAt'),
      pinned: object.pinned === true,
      items: itemTexts(object.items, object.raw, '"items"'),
    };
    if (object.versions !== undefined) {
      if (!Array.isArray(object.versions)) throw new BadThread('has "versions" that is not a list');
      record.versions = object.versions.map(versionGroup);
    }
    return { kind: 'thread', record, format: 'session-chat', source: path };
  } catch (err) {
    if (!(err instanceof BadThread)) throw err;
    const name = id === undefined ? `Thread ${position + 1}` : `Thread "${id}"`;
    return skipped(source, `${name} ${err.message}.`);
  }
}

function time(object: LooseItem, key: string): number {
  const ms = parseTime(object[key]);
  if (Number.isNaN(ms)) throw new BadThread(`has no valid "${key}" (an ISO 8601 time)`);
  return ms;
}

/** The stored texts of an exported item list, with its optional `raw` map of exact texts. */
function itemTexts(items: unknown, raw: unknown, what: string): string[] {
  if (!Array.isArray(items)) throw new BadThread(`has ${what} that is not a list`);
  const texts = raw === undefined ? undefined : asObject(raw);
  if (raw !== undefined && !texts) throw new BadThread(`has a "raw" that is not an object`);
  return items.map((item, index) => {
    const exact = texts?.[String(index)];
    if (exact !== undefined && typeof exact !== 'string') throw new BadThread(`has a "raw" text for item ${index} that is not a string`);
    return storedItemText(item, exact);
  });
}

function versionGroup(value: unknown, index: number): VersionGroupRecord {
  const group = asObject(value);
  const where = `version group ${index + 1}`;
  if (!group || !isCount(group.after) || !isCount(group.shown) || !Array.isArray(group.versions)) throw new BadThread(`has a ${where} without "after", "shown" and "versions"`);
  return {
    after: group.after,
    shown: group.shown,
    versions: group.versions.map((entry: unknown) => {
      const version = asObject(entry);
      if (!version || !isCount(version.index)) throw new BadThread(`has a version in ${where} without "index"`);
      const nested = version.nested ?? null;
      if (nested !== null && typeof nested !== 'string') throw new BadThread(`has a version in ${where} whose "nested" is not text`);
      const createdAt = parseTime(version.createdAt);
      if (Number.isNaN(createdAt)) throw new BadThread(`has a version in ${where} without a valid "createdAt"`);
      const items = version.items === null || version.items === undefined ? null : itemTexts(version.items, version.raw, `a version in ${where} with "items"`);
      return { index: version.index, items, nested, createdAt };
    }),
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
