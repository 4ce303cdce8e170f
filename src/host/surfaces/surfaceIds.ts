// Ids the light activation (src/host/extension.ts) registers its surfaces under; no other imports, so
// naming a surface never loads the chat.

/** View type of the editor panel (also in package.json `activationEvents`). */
export const PANEL_VIEW_TYPE = 'sessionChat.panel';
