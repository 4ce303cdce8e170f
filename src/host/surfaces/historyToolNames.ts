// The history tool's names, apart from its text (historyToolText.ts builds a zod schema when loaded):
// the light activation registers the tool without loading the chat.

/** The tool's name (package.json `contributes.languageModelTools`). */
export const HISTORY_TOOL_NAME = 'sessionChat_searchHistory';
/** The setting that turns the tool off, under `sessionChat.`. */
export const HISTORY_TOOL_SETTING = 'searchHistoryTool.enabled';
