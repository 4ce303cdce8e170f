/**
 * The read-only workspace tools the model may call, as the wire APIs declare functions. Names and
 * argument names are a contract with the model (and with histories already stored): never rename.
 */

/** A function the model may call, as both wire APIs describe it. */
export interface ToolDefinition {
  name: WorkspaceToolName;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export const WORKSPACE_TOOL_NAMES = ['read_file', 'list_files', 'search_text', 'get_problems'] as const;
export type WorkspaceToolName = (typeof WORKSPACE_TOOL_NAMES)[number];

export function isWorkspaceToolName(name: string): name is WorkspaceToolName {
  return (WORKSPACE_TOOL_NAMES as readonly string[]).includes(name);
}

const PATH_HELP = 'Path relative to a workspace folder, with forward slashes (e.g. "src/index.ts"); in a multi-root workspace it may start with the folder name.';

export const WORKSPACE_TOOLS: readonly ToolDefinition[] = [
  {
    name: 'read_file',
    description: 'Reads a text file of the user\'s workspace, with line numbers. Optionally only the lines startLine..endLine (1-based, inclusive). The user approves each call.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: PATH_HELP },
        startLine: { type: 'integer', minimum: 1, description: 'First line to read (1-based).' },
        endLine: { type: 'integer', minimum: 1, description: 'Last line to read (inclusive).' },
      },
      required: ['path'],
      additionalProperties: false,
    },
  },
  {
    name: 'list_files',
    description: 'Lists the files of the user\'s workspace whose path matches a glob (e.g. "**/*.ts", "src/*"), skipping ignored and excluded files. The user approves each call.',
    parameters: {
      type: 'object',
      properties: { glob: { type: 'string', description: 'Glob over paths relative to the workspace folder.' } },
      required: ['glob'],
      additionalProperties: false,
    },
  },
  {
    name: 'search_text',
    description: 'Searches the text files of the user\'s workspace for a string (case-insensitive) or a regular expression, like ripgrep: one "path:line: text" line per match. The user approves each call.',
    parameters: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'Text to find, or a JavaScript regular expression when isRegex is true.' },
        isRegex: { type: 'boolean', description: 'Treat query as a regular expression (default false).' },
        glob: { type: 'string', description: 'Only search files whose path matches this glob.' },
      },
      required: ['query'],
      additionalProperties: false,
    },
  },
  {
    name: 'get_problems',
    description: 'Lists the problems (errors, warnings) VS Code reports for one file, or for the whole workspace without a path. The user approves each call.',
    parameters: {
      type: 'object',
      properties: { path: { type: 'string', description: PATH_HELP } },
      additionalProperties: false,
    },
  },
];
