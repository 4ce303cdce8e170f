/* global fetch -- Node 24 has fetch built in. */
// Runs the project's OpenAI-compatible test model server (test/fixtures/serve.ts) as a child process,
// so a VS Code extension host (another process) can talk to it over real HTTP.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { nodeFor, repoRoot } from './paths.mjs';
import { killGroup, trackGroup } from './processGroups.mjs';

const readyPrefix = 'TEST_MODEL_SERVER_URL=';

/** Waits for the server's `TEST_MODEL_SERVER_URL=<baseUrl>` line; forwards its other output to stderr. */
function waitForUrl(child, timeoutMs = 20_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('test model server printed no URL within 20 s')), timeoutMs);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith(readyPrefix)) {
        clearTimeout(timer);
        resolve(line.slice(readyPrefix.length).trim());
      } else {
        process.stderr.write(`[test-server] ${line}\n`);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`test model server exited before it was ready (${signal ?? `exit ${code}`})`));
    });
  });
}

/**
 * Starts the test model server on a free port.
 * @returns {Promise<{baseUrl: string, requests: () => Promise<unknown[]>, next: (behaviour: unknown) => Promise<void>,
 *   reset: () => Promise<void>, stop: () => Promise<void>}>}
 */
export async function startTestServerProcess() {
  const script = path.join(repoRoot, 'test', 'fixtures', 'serve.ts');
  const child = spawn(nodeFor().node, [script, '--port', '0'], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  trackGroup(child.pid);
  let baseUrl;
  try {
    baseUrl = await waitForUrl(child);
  } catch (error) {
    await killGroup(child);
    throw error;
  }
  const origin = new URL(baseUrl).origin;
  const control = async (method, route, body) => {
    const response = await fetch(`${origin}/_test/${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`test server ${method} /_test/${route}: HTTP ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  };
  return {
    baseUrl,
    requests: () => control('GET', 'requests'),
    next: async (behaviour) => void (await control('POST', 'next', behaviour)),
    reset: async () => void (await control('POST', 'reset')),
    stop: () => killGroup(child),
  };
}
