// The tree parser thread (TreeParserThread): JSON-parses and packs tree answers away from the App's event loop.
import { parentPort } from 'node:worker_threads';
import { packedBuffers } from '../snapshot/packed-listing.js';
import { parseTreeBody, type TreeParseAnswer, type TreeParseRequest } from './tree-parse.js';

const port = parentPort;
if (!port) throw new Error('tree-parse-worker runs as a worker thread');

port.on('message', ({ id, body }: TreeParseRequest) => {
  let answer: TreeParseAnswer;
  try {
    answer = { id, tree: parseTreeBody(body) };
  } catch (error) {
    answer = { id, error: (error as Error).message };
  }
  const { listing } = 'tree' in answer ? answer.tree : { listing: undefined };
  // The columns move to the main thread without a copy.
  port.postMessage(answer, listing ? packedBuffers(listing) : []);
});
