import type { SkippedSource, SourceFormat, ThreadRecord } from './threadRecord.ts';

/**
 * What reading import sources produces, one at a time: a thread ready for the store, or a file
 * (or one conversation in it) that could not be read, with the reason.
 */
export type ImportEvent = { kind: 'thread'; record: ThreadRecord; format: SourceFormat; source: string } | { kind: 'skipped'; skipped: SkippedSource };

/** Limits and cancellation for one import. */
export interface ReadOptions {
  /** Checked between threads: once it fires, no further thread is read. */
  signal?: AbortSignal;
  /**
   * Largest file read whole (every format but our export, which streams); also the largest single
   * thread of an export. Default {@link DEFAULT_MAX_FILE_BYTES}.
   */
  maxFileBytes?: number;
}

/** 64 MiB: far above any real conversation, far below what would strain the extension host. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** A skipped event for `source`. */
export function skipped(source: string, reason: string): ImportEvent {
  return { kind: 'skipped', skipped: { source, reason } };
}

/** A size for people: "64 MB", "1.5 MB", "900 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * What a reader yields for a file that turned out not to be of its format (an SQLite file
 * without the SDK's tables): counted for the folder it was found in, or reported when chosen.
 */
export const NOT_RECOGNISED = Symbol('not recognised');
