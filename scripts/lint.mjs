// `npm run lint [-- files]`: ESLint over the repository (or the given files).
import './checkNode.mjs';
import { lint } from './lib/checks.mjs';

const args = process.argv.slice(2);
process.exit(lint(args.length > 0 ? args : ['.']) ? 0 : 1);
