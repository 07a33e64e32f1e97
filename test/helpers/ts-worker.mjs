// A pool worker entry for tests (EvaluationPool's `workerUrl`): registers the TypeScript hooks in this worker, then
// runs src/engine/evaluation-worker.ts itself.
import { register } from 'node:module';

register('./ts-worker-hooks.mjs', import.meta.url);
await import('../../src/engine/evaluation-worker.js');
