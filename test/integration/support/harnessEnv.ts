// What the harness (scripts/integration.mjs) tells the suite. The extension host inherits code-server's
// environment, so plain environment variables reach it; a desktop VS Code started by @vscode/test-electron
// passes its extensionTestsEnv the same way.

/** Where the suite writes its `{passed, failed, tests}` result file (unset: no file). */
export function resultFilePath(): string | undefined {
  return process.env.SESSION_CHAT_TEST_RESULT || undefined;
}

/** Base URL of the test model server (`.../v1`), or undefined when the harness started none. */
export function testServerUrl(): string | undefined {
  return process.env.SESSION_CHAT_TEST_SERVER || undefined;
}

/**
 * The `logs` folder of the VS Code user data (`<user-data-dir>/logs`), where each extension's log
 * output channels are written; undefined when the harness did not say.
 */
export function logsDir(): string | undefined {
  return process.env.SESSION_CHAT_TEST_LOGS || undefined;
}
