import * as vscode from 'vscode';
import type { HistoryStore, SearchHit } from '../../core/store/historyStore.ts';
import { hitItem, type HitItem } from './hitItem.ts';

/** How long typing pauses before the history is searched. */
const SEARCH_DELAY_MS = 150;
/** Most results one search shows. */
export const SEARCH_LIMIT = 50;

/**
 * Search History: a quick pick that searches every thread as the user types (this workspace's
 * threads first) and resolves with the chosen hit. The store catches small backlogs up itself; a
 * large one being indexed in the background is named in the placeholder.
 */
export async function pickSearchHit(store: HistoryStore, workspaceKey: string, log: vscode.LogOutputChannel): Promise<SearchHit | undefined> {
  const pick = vscode.window.createQuickPick<HitItem>();
  pick.title = 'Session Chat: Search History';
  // Every hit is shown (alwaysShow); matching on the detail only makes VS Code highlight the typed
  // words inside the snippet.
  pick.matchOnDescription = false;
  pick.matchOnDetail = true;
  // Keeps the store's order (pinned, this workspace, newest) instead of sorting by label matches.
  // Not in the typed API of VS Code 1.101; a VS Code without it ignores the property.
  (pick as { sortByLabel?: boolean }).sortByLabel = false;
  const basePlaceholder = 'Search the messages, answers and tool output of every thread';
  pick.placeholder = basePlaceholder;
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const showBacklog = async (): Promise<void> => {
    const { pending } = await store.searchIndexStatus();
    pick.placeholder = pending > 0 ? `${basePlaceholder} (indexing history: ${pending.toLocaleString()} messages are not searchable yet)` : basePlaceholder;
  };
  const search = async (query: string): Promise<void> => {
    const mine = ++generation;
    if (query.trim() === '') {
      pick.items = [];
      pick.busy = false;
      return;
    }
    pick.busy = true;
    try {
      const hits = await store.search(query, { workspaceKey, limit: SEARCH_LIMIT });
      if (mine !== generation) return;
      pick.items = hits.length > 0 ? hits.map((hit) => hitItem(hit)) : [{ label: '$(info) No messages match', description: query, alwaysShow: true }];
    } catch (error) {
      log.warn(`Search History failed: ${String(error)}`);
      if (mine === generation) pick.items = [{ label: '$(error) The search failed', description: 'see the Session Chat log', alwaysShow: true }];
    } finally {
      if (mine === generation) pick.busy = false;
    }
  };

  const typed = pick.onDidChangeValue((value) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void search(value), SEARCH_DELAY_MS);
  });
  try {
    return await new Promise<SearchHit | undefined>((resolve) => {
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0]?.hit;
        // "No messages match" is not a result: the pick stays open for another query.
        if (chosen) resolve(chosen);
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
      void showBacklog().catch((error: unknown) => log.warn(`Could not read the search index status: ${String(error)}`));
    });
  } finally {
    if (timer) clearTimeout(timer);
    typed.dispose();
    pick.hide();
    pick.dispose();
  }
}
