import type * as vscode from 'vscode';
import type { SearchHit } from '../../core/store/historyStore.ts';
import { relativeTime, workspaceName } from './threadWords.ts';

/** A row of the Search History pick; `hit` is absent on the "no matches" row. */
export interface HitItem extends vscode.QuickPickItem {
  hit?: SearchHit;
}

const roleWords: Record<SearchHit['role'], string> = { user: 'You', assistant: 'Assistant', tool: 'Tool' };

/** One result row: the thread (pinned ones with a pin), where and when, and the snippet with the match. */
export function hitItem(hit: SearchHit, now: number = Date.now()): HitItem {
  return {
    label: hit.pinned ? `$(pinned) ${hit.threadTitle}` : hit.threadTitle,
    description: `${workspaceName(hit.workspaceKey)} · ${relativeTime(hit.at, now)}`,
    detail: `${roleWords[hit.role]}: ${hit.snippet}`,
    // The store matched already (fragments, accents, phrases); the quick pick's own fuzzy filter
    // would hide most of its results.
    alwaysShow: true,
    hit,
  };
}
