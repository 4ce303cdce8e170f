// Words for threads in lists (Switch Thread, Search History, the history tool); no `vscode`, so unit-testable.

/** A folder or workspace file name for the key, so "all workspaces" says where a thread lives. */
export function workspaceName(key: string): string {
  if (key === '') return 'No workspace';
  try {
    const path = decodeURIComponent(new URL(key).pathname);
    return path.split('/').filter(Boolean).pop() ?? key;
  } catch {
    return key === 'empty-window' ? 'Empty window' : key;
  }
}

/** "just now", "5 min ago", "3 h ago", else the date. */
export function relativeTime(timestamp: number, now: number = Date.now()): string {
  const minutes = Math.round((now - timestamp) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.round(minutes / 60)} h ago`;
  return new Date(timestamp).toLocaleDateString();
}
