// A tree-parser thread entry for tests (TreeParserThread's worker): registers the TypeScript hooks in this worker,
// then runs src/github/tree-parse-worker.ts itself.
import { register } from 'node:module';

register('./ts-worker-hooks.mjs', import.meta.url);
await import('../../src/github/tree-parse-worker.js');
