// `npm run typecheck`: every TypeScript project of the repository (see tscProjects in lib/checks.mjs).
import './checkNode.mjs';
import { typecheck } from './lib/checks.mjs';

process.exit(typecheck() ? 0 : 1);
