import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.vscode-test/', '.artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // A focused test makes the run skip every other one and still pass: `.only` must never be committed.
    files: ['test/**/*.{ts,mjs,js}', '**/*.spec.ts', '**/*.e2e.ts'],
    rules: {
      'no-restricted-properties': ['error', ...['describe', 'it', 'test', 'suite', 'context'].map((object) => ({
        object, property: 'only', message: `${object}.only runs this test alone and skips the rest: remove .only before committing.`,
      }))],
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.name=/^(describe|it|test|suite)$/] > ObjectExpression > Property[key.name='only'][value.value=true]",
        message: '{ only: true } runs this test alone and skips the rest: remove it before committing.',
      }],
    },
  },
  {
    // The layers of DESIGN.md: core is reusable outside VS Code, shared is types only, webview is DOM only.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core must not depend on VS Code: put this in src/host.' }], patterns: [{ group: ['**/host/**', '**/webview/**'], message: 'src/core depends only on src/shared.' }] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      // Only its own files (`./…`, never `..`) and zod.
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./(?!.*\\.\\.)|zod$)', message: 'src/shared holds the protocol: zod schemas and the types derived from them.' }] }],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The webview cannot use the VS Code API; post a message to the host.' }], patterns: [{ group: ['node:*', '**/core/**', '**/host/**'], message: 'The webview is DOM only: talk to the host through src/shared/protocol.ts.' }] }],
    },
  },
);
