/**
 * Every command of the extension, by its short name: the one table the code registers from and
 * a unit test checks against `contributes.commands` in package.json (both ways).
 */
export const COMMAND_IDS = {
  openChat: 'sessionChat.openChat',
  newThread: 'sessionChat.newThread',
  switchThread: 'sessionChat.switchThread',
  renameThread: 'sessionChat.renameThread',
  deleteThread: 'sessionChat.deleteThread',
  undoTurn: 'sessionChat.undoTurn',
  redoTurn: 'sessionChat.redoTurn',
  clearSession: 'sessionChat.clearSession',
  exportThread: 'sessionChat.exportThread',
  setApiKey: 'sessionChat.setApiKey',
  selectModel: 'sessionChat.selectModel',
  saveAnswer: 'sessionChat.saveAnswer',
  searchHistory: 'sessionChat.searchHistory',
  findInThread: 'sessionChat.findInThread',
  pinThread: 'sessionChat.pinThread',
  unpinThread: 'sessionChat.unpinThread',
  forkThread: 'sessionChat.forkThread',
  exportThreadJson: 'sessionChat.exportThreadJson',
  exportWorkspaceHistory: 'sessionChat.exportWorkspaceHistory',
  exportAllHistory: 'sessionChat.exportAllHistory',
  importHistory: 'sessionChat.importHistory',
  importVsCodeChat: 'sessionChat.importVsCodeChat',
  connectPostgres: 'sessionChat.connectPostgres',
  disconnectPostgres: 'sessionChat.disconnectPostgres',
  copyLocalToPostgres: 'sessionChat.copyLocalToPostgres',
  reconnectStore: 'sessionChat.reconnectStore',
  storageOptions: 'sessionChat.storageOptions',
  addSelection: 'sessionChat.addSelection',
  askSelection: 'sessionChat.askSelection',
  addFile: 'sessionChat.addFile',
  addProblems: 'sessionChat.addProblems',
  resetToolApprovals: 'sessionChat.resetToolApprovals',
  compactThread: 'sessionChat.compactThread',
} as const;

/** A command's short name, e.g. `undoTurn`. */
export type CommandName = keyof typeof COMMAND_IDS;
