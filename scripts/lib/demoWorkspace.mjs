// The scratch folder `npm start -- --demo` opens, in the desktop VS Code and in code-server alike.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The settings that point the chat at the test model server (demo only). */
export const demoSettings = (baseUrl) => ({ 'sessionChat.baseUrl': baseUrl, 'sessionChat.model': 'test-model', 'sessionChat.api': 'responses' });

/** What the demo folder's README says: where the answers come from and what to try. */
const demoReadme = (baseUrl) => `# Session Chat demo

A scratch folder \`npm start -- --demo\` made for trying Session Chat; nothing here is your code.

The chat talks to the project's test model server at ${baseUrl}: it answers "Echo: <your text>", word by word.

1. Press F1 and run **Session Chat: Open Chat** (or click the Session Chat icon in the activity bar).
2. Ask something. Put a marker in the message to see the other behaviours:
   - \`[slow]\`: a slow answer, to try **Stop** while it streams;
   - \`[error 500]\`: a failed request, then **Retry**;
   - \`[tool]\`: the model calls a tool first;
   - the word \`code\`: an answer with a code block, to try **Copy** and **Insert at Cursor** (open \`example.ts\` first).
3. Run **Session Chat: Undo Last Turn**, **New Thread**, **Switch Thread**, then reload the window: the threads are kept.
`;

/**
 * Writes the demo folder under `scratchRoot` and returns it: a README saying what to try, an example file, and
 * workspace settings pointing at the demo server, so the user's own settings stay untouched.
 */
export function demoWorkspace(baseUrl, scratchRoot) {
  const folder = path.join(scratchRoot, 'demo-workspace');
  mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  writeFileSync(path.join(folder, '.vscode', 'settings.json'), `${JSON.stringify(demoSettings(baseUrl), null, 2)}\n`);
  writeFileSync(path.join(folder, 'README.md'), demoReadme(baseUrl));
  writeFileSync(path.join(folder, 'example.ts'), 'export function greet(name: string): string {\n  return `Hello, ${name}`;\n}\n');
  return folder;
}

/**
 * The folder `npm start` opens: the one given with --folder, else the demo folder in a demo, else `fallback`.
 * @param {{folder?: string, demoBaseUrl?: string, scratchRoot: string, fallback?: string}} options
 * @returns {string | undefined}
 */
export function startFolder({ folder, demoBaseUrl, scratchRoot, fallback }) {
  if (folder) return path.resolve(folder);
  if (demoBaseUrl) return demoWorkspace(demoBaseUrl, scratchRoot);
  return fallback;
}
