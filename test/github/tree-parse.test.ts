import { afterAll, describe, expect, it } from '@jest/globals';
import { BlobCache, GitHubSource, type OctokitLike } from '../../src/github/source.js';
import { inlineTreeParser, parseTreeBody, TreeParserThread } from '../../src/github/tree-parse.js';
import { findPackedEntry, unpackListing } from '../../src/snapshot/packed-listing.js';

const body = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).buffer as ArrayBuffer;

const answer = {
  sha: 'f'.repeat(40),
  truncated: false,
  tree: [
    { path: 'src', mode: '040000', type: 'tree', sha: '1'.repeat(40) },
    { path: 'src/index.ts', mode: '100644', type: 'blob', sha: '2'.repeat(40), size: 10 },
    { path: 'README.md', mode: '100644', type: 'blob', sha: '3'.repeat(40), size: 20 },
    { path: 'run.sh', mode: '100755', type: 'blob', sha: '4'.repeat(40), size: 30 },
    { path: 'link', mode: '120000', type: 'blob', sha: '5'.repeat(40), size: 4 },
    { path: 'vendor/dep', mode: '160000', type: 'commit', sha: '6'.repeat(40) },
  ],
};

describe('parseTreeBody', () => {
  it('keeps blobs, symlinks and submodules sorted by path, and the tree id', () => {
    const parsed = parseTreeBody(body(answer));
    expect(parsed.sha).toBe('f'.repeat(40));
    expect(parsed.truncated).toBe(false);
    expect(unpackListing(parsed.listing).entries).toEqual([
      { path: 'README.md', kind: 'file', size: 20, mode: '100644', sha: '3'.repeat(40) },
      { path: 'link', kind: 'symlink', size: 4, mode: '120000', sha: '5'.repeat(40) },
      { path: 'run.sh', kind: 'file', size: 30, mode: '100755', sha: '4'.repeat(40) },
      { path: 'src/index.ts', kind: 'file', size: 10, mode: '100644', sha: '2'.repeat(40) },
      { path: 'vendor/dep', kind: 'submodule', size: 0, mode: '160000', sha: '6'.repeat(40) },
    ]);
  });

  it('says when GitHub truncated the answer', () => {
    expect(parseTreeBody(body({ ...answer, truncated: true })).truncated).toBe(true);
  });

  it('refuses a body that is not a tree answer, with a message', () => {
    expect(() => parseTreeBody(body({ message: 'Not Found' }))).toThrow('without a tree');
    expect(() => parseTreeBody(new TextEncoder().encode('{"tree": [').buffer as ArrayBuffer)).toThrow(SyntaxError);
  });
});

describe('TreeParserThread', () => {
  const thread = new TreeParserThread(new URL('../helpers/ts-tree-worker.mjs', import.meta.url));
  afterAll(() => thread.close());

  it('parses in its thread exactly as inline, moving the body there', async () => {
    const bytes = body(answer);
    const [inThread, inline] = await Promise.all([thread.parse(bytes), inlineTreeParser.parse(body(answer))]);
    expect(bytes.byteLength).toBe(0); // transferred, not copied
    expect(unpackListing(inThread.listing)).toEqual(unpackListing(inline.listing));
    expect(findPackedEntry(inThread.listing, 'run.sh')?.mode).toBe('100755');
  });

  it('answers several parses in flight with their own results, and a failure with its message', async () => {
    const many = Array.from({ length: 5 }, (_, index) =>
      thread.parse(body({ sha: String(index), truncated: false, tree: answer.tree.slice(0, index + 1) })),
    );
    const failed = thread.parse(body({ message: 'Server Error' }));
    await expect(failed).rejects.toThrow('without a tree');
    const results = await Promise.all(many);
    expect(results.map((result) => result.sha)).toEqual(['0', '1', '2', '3', '4']);
    expect(results.map((result) => result.listing.count)).toEqual([0, 1, 2, 3, 4]);
  });

  it('parses a 100,000-entry answer', async () => {
    const tree = Array.from({ length: 100_000 }, (_, index) => ({
      path: `packages/p${index % 200}/src/file${index}.ts`,
      mode: '100644',
      type: 'blob',
      sha: index.toString(16).padStart(40, '0'),
      size: index,
    }));
    const parsed = await thread.parse(body({ sha: 'a'.repeat(40), truncated: false, tree }));
    expect(parsed.listing.count).toBe(100_000);
    expect(findPackedEntry(parsed.listing, 'packages/p7/src/file99807.ts')?.size).toBe(99_807);
  });

  it('refuses parses once closed', async () => {
    const closing = new TreeParserThread(new URL('../helpers/ts-tree-worker.mjs', import.meta.url));
    await closing.parse(body(answer));
    await closing.close();
    await expect(closing.parse(body(answer))).rejects.toThrow('closed');
  });
});

describe('GitHubSource with a tree parser', () => {
  it('hands the recursive answer to its parser and keeps the packed listing by commit', async () => {
    const requests: string[] = [];
    const octokit = {
      request: async (route: string) => {
        requests.push(route);
        return { status: 200, headers: {}, data: answer };
      },
      graphql: async () => ({}),
    } as unknown as OctokitLike;
    const bodies: number[] = [];
    const parser = {
      parse: async (bytes: ArrayBuffer) => {
        bodies.push(bytes.byteLength);
        return inlineTreeParser.parse(bytes);
      },
      close: async () => {},
    };
    const cache = new BlobCache();
    const options = { octokit, owner: 'o', repo: 'r', sha: 'c'.repeat(40), defaultBranch: 'main', cache };
    const source = new GitHubSource({ ...options, treeParser: parser });
    const packed = await source.listPackedTree();
    expect(packed.treeSha).toBe('f'.repeat(40));
    expect(bodies).toEqual([JSON.stringify(answer).length]);
    expect((await source.listTree()).entries.map((entry) => entry.path)).toEqual([
      'README.md',
      'link',
      'run.sh',
      'src/index.ts',
      'vendor/dep',
    ]);
    // Another delivery for the same commit: from the cache, no request, no parse.
    const again = new GitHubSource({ ...options, treeParser: parser });
    expect(await again.listPackedTree()).toBe(packed);
    expect(again.treeSha).toBe('f'.repeat(40));
    expect(requests).toHaveLength(1);
    expect(bodies).toHaveLength(1);
  });
});
