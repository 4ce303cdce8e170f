// Four bundles: the extension host's light activation and the chat it loads on first use (Node, CommonJS), the
// version-switch worker (Node, CommonJS) and the webview (browser).
// `vscode` is provided by the editor; `better-sqlite3` ships as a native module beside the bundles.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * Lets `import.meta.url` (used by src/core to build a `require`) work inside the CommonJS bundle. And
 * `navigator` reads as `undefined`: in VS Code's extension host every read of that global logs a
 * PendingMigrationError against the extension, and libraries read it at load to tell a browser or a
 * worker runtime from Node (pg's Cloudflare check, zod's eval check); in Node they must see none.
 */
const importMetaUrlShim = {
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl', navigator: 'undefined' },
};

/**
 * `--watch` (the F5 task in .vscode/tasks.json): one `[watch] build started` line when a rebuild begins and one
 * `[watch] build finished` when both bundles are done, each problem as two adjacent lines, `✘ [ERROR] text`
 * then `    file:line:column:`. The task's problem matcher reads exactly these lines.
 */
function watchReporter() {
  let pending = 0;
  return {
    name: 'watch-reporter',
    setup(build) {
      build.onStart(() => {
        if (pending++ === 0) console.log('[watch] build started');
      });
      build.onEnd((result) => {
        const problems = [...result.errors.map((m) => ['✘ [ERROR]', m]), ...result.warnings.map((m) => ['▲ [WARNING]', m])];
        for (const [label, { text, location }] of problems) {
          console.error(`${label} ${text}`);
          if (location) console.error(`    ${location.file}:${location.line}:${location.column + 1}:`);
        }
        if (--pending === 0) console.log('[watch] build finished');
      });
    },
  };
}

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  // In watch mode the reporter prints everything, in the shape the problem matcher expects.
  logLevel: watch ? 'silent' : 'info',
  legalComments: 'none',
  ...(watch ? { plugins: [watchReporter()] } : {}),
};

/** The light bundle must stay light: these are the chat bundle's, loaded on first use. */
const heavyInLight = {
  name: 'heavy-in-light',
  setup(build) {
    build.onResolve({ filter: /^(zod|openai|better-sqlite3)(\/|$)/ }, (args) => ({
      errors: [{ text: `${args.path} is imported by ${args.importer} into dist/extension.js: load it from dist/chat.js (src/host/chatHost.ts) instead` }],
    }));
  },
};

const builds = [
  {
    // What VS Code loads at activation: stand-ins that load dist/chat.js (`require('./chat.js')`) on first use.
    ...common,
    ...importMetaUrlShim,
    entryPoints: ['src/host/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode'],
    plugins: [...(common.plugins ?? []), heavyInLight],
  },
  {
    // The chat: database, model client, schemas, surfaces and commands (src/host/chatHost.ts).
    ...common,
    ...importMetaUrlShim,
    entryPoints: ['src/host/chatHost.ts'],
    outfile: 'dist/chat.js',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode', 'better-sqlite3'],
  },
  {
    // The switch worker (src/core/store/switchWorker.ts): a worker thread the store starts from
    // dist/switchWorker.js, beside the extension bundle, for version switches too large for the host's thread.
    ...common,
    ...importMetaUrlShim,
    entryPoints: ['src/core/store/switchWorker.ts'],
    outfile: 'dist/switchWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['better-sqlite3'],
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // main.ts imports media/chat.css and the codicon CSS: esbuild emits them as dist/webview.css,
    // with the codicon font copied beside it (the webview CSP allows fonts from dist/).
    loader: { '.ttf': 'file' },
    assetNames: '[name]-[hash]',
  },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
