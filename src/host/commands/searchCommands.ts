import * as vscode from 'vscode';
import type { SearchHit } from '../../core/store/historyStore.ts';
import type { Disposable } from '../platform/disposable.ts';
import type { ChatSurface } from '../surfaces/chatSurface.ts';
import type { ChatViewProvider } from '../surfaces/chatViewProvider.ts';
import { commandArgs } from './commandArgs.ts';
import { registerCommand, type CommandDeps } from './commandContext.ts';
import { pickSearchHit, SEARCH_LIMIT } from './searchPick.ts';

/** What the search commands need besides the usual: the side-bar view and the background indexer. */
export interface SearchDeps extends CommandDeps {
  views: ChatViewProvider;
  /** Starts indexing a large backlog in the background, once (see indexCatchUp.ts). */
  catchUpIndex(): void;
}

/** Search History and Find in Thread. */
export function registerSearchCommands(deps: SearchDeps): Disposable[] {
  return [
    registerCommand(deps, 'searchHistory', (arg) => searchHistory(deps, arg)),
    registerCommand(deps, 'findInThread', (arg) => findSurface(deps, arg).post({ type: 'ui/openFind' })),
  ];
}

/**
 * The chat whose find bar opens: the one the keybinding names (it passes `{ surface }`), else the
 * panel when it is the active editor, else the side-bar view when it is shown, else a new panel.
 */
function findSurface(deps: SearchDeps, arg: unknown): ChatSurface {
  const named = commandArgs('findInThread', arg)?.surface;
  const view = deps.views.visibleSurface();
  if (named === 'view' && view) return view;
  if (named === 'panel') return deps.panels.open();
  return deps.panels.activeSurface() ?? view ?? deps.panels.open();
}

/**
 * Shows the search pick and opens the chosen hit. Tests and scripts pass `{ query, pick }` to
 * open hit number `pick` (default 0) without the pick; the hit is returned either way.
 */
async function searchHistory(deps: SearchDeps, arg: unknown): Promise<SearchHit | undefined> {
  const { controller } = deps;
  deps.catchUpIndex();
  const args = commandArgs('searchHistory', arg);
  const hit = args
    ? (await controller.store.search(args.query, { workspaceKey: controller.workspaceKey(), limit: SEARCH_LIMIT }))[args.pick ?? 0]
    : await pickSearchHit(controller.store, controller.workspaceKey(), deps.log);
  if (!hit) return undefined;
  await openHit(deps, hit);
  return hit;
}

/** Shows the hit's thread in the panel, which then loads the page that holds it and scrolls to it. */
async function openHit(deps: SearchDeps, hit: SearchHit): Promise<void> {
  if (!(await deps.controller.switchTo(hit.threadId))) {
    void vscode.window.showInformationMessage('Session Chat: that thread was deleted since the search.');
    return;
  }
  // The webview applies the reveal once it shows a snapshot of this thread (posted just before).
  deps.panels.open().post({ type: 'thread/reveal', threadId: hit.threadId, rowId: hit.rowId, turnId: hit.turnId });
}
