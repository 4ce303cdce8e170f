// Imported first by the chat bundle (src/host/chatHost.ts), before any module there builds a schema.
import { z } from 'zod';

// zod decides at the first `z.object()` whether it may compile parsers with `new Function`, and to
// decide it reads the `navigator` global. In VS Code's extension host (Node 22+) that global is a
// getter that logs "PendingMigrationError: navigator is now a global in nodejs" against the extension.
// Under `jitless` zod skips the probe (and interpreted parsing is plenty fast for our messages), but
// only for schemas built after this call: hence a module of its own, evaluated before all the others.
z.config({ jitless: true });
