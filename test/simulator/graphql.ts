import type { Simulator } from './index.js';

/**
 * Answers the GraphQL shape GitHubSource and the config reader send — one or more `alias: repository(owner:, name:)
 * { alias: object(oid: "<blob sha>") { ...B } … }` blocks, each answering the objects in its own braces (a missing
 * repository is null with a NOT_FOUND error, the others still answered), with `fragment B on Blob { text isBinary isTruncated byteSize oid }` (also `object(expression: "<rev>:<path>")`
 * and inline `... on Blob { … }`) and `rateLimit { … }` — with GitHub's semantics: a missing object is null, an object
 * that is not a blob answers `{}` to a Blob selection, Blob.text is null for binary blobs and cut (isTruncated) past
 * the simulator's blobTextLimit; a fragment spread but not defined, or defined but not spread, or on another type
 * than Blob, is an error, as GitHub's validation makes it. Anything else is answered with a GraphQL error and recorded
 * as a violation.
 */

const BLOB_FIELDS = ['text', 'isBinary', 'isTruncated', 'byteSize', 'oid', 'abbreviatedOid', 'commitUrl', '__typename'];

function literal(raw: string, variables: Record<string, unknown>): unknown {
  if (raw.startsWith('$')) return variables[raw.slice(1)];
  return JSON.parse(raw);
}

function looksBinary(bytes: Buffer): boolean {
  const end = Math.min(bytes.length, 8000);
  for (let index = 0; index < end; index += 1) if (bytes[index] === 0) return true;
  return false;
}

function cutUtf8(bytes: Buffer, limit: number): string {
  let end = Math.min(limit, bytes.length);
  while (end > 0 && end < bytes.length && (bytes[end] & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

export function answerGraphql(
  simulator: Simulator,
  request: { query: string; variables?: Record<string, unknown> },
): { payload: unknown; objects: number } {
  const query = request.query;
  const variables = request.variables ?? {};
  const fail = (message: string) => {
    simulator.violations.push({ kind: 'invalid-request', method: 'POST', url: '/graphql', errors: [message] });
    return { payload: { errors: [{ message }] }, objects: 0 };
  };
  let depth = 0;
  for (const char of query.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    if (char === '{') depth += 1;
    if (char === '}') depth -= 1;
    if (depth < 0) break;
  }
  if (depth !== 0) return fail('Parse error: unbalanced braces in the query');

  // Named fragments: `fragment Name on Type { fields }` (flat field lists: what GitHubSource sends).
  const fragments = new Map<string, { type: string; fields: string[]; used: boolean }>();
  for (const definition of query.matchAll(/\bfragment\s+(\w+)\s+on\s+(\w+)\s*\{([^{}]*)\}/g)) {
    if (fragments.has(definition[1])) return fail(`There can be only one fragment named "${definition[1]}".`);
    fragments.set(definition[1], {
      type: definition[2],
      fields: definition[3].split(/[\s,]+/).filter(Boolean),
      used: false,
    });
  }
  for (const [name, fragment] of fragments)
    if (fragment.type !== 'Blob')
      return fail(`the simulator answers fragments on Blob only (fragment ${name} on ${fragment.type})`);
  /** The Blob fields a selection asks for: inline `... on Blob { }` and spread named fragments. */
  const blobFieldsOf = (selection: string): string[] | string => {
    const fields = [...selection.matchAll(/\.\.\.\s*on\s+Blob\s*\{([^}]*)\}/g)].flatMap((inline) =>
      inline[1].split(/[\s,]+/).filter(Boolean),
    );
    for (const spread of selection.matchAll(/\.\.\.\s*(\w+)/g)) {
      if (spread[1] === 'on') continue;
      const fragment = fragments.get(spread[1]);
      if (!fragment) return `Fragment ${spread[1]} was used, but not defined`;
      fragment.used = true;
      fields.push(...fragment.fields);
    }
    return [...new Set(fields)];
  };

  const data: Record<string, unknown> = {};
  const errors: Array<Record<string, unknown>> = [];
  let objects = 0;
  const STRING = '"(?:[^"\\\\]|\\\\.)*"|\\$\\w+';
  // Each `alias: repository(owner:, name:) { … }` answers the objects inside its own braces.
  const repositoryPattern = new RegExp(
    `(?:(\\w+)\\s*:\\s*)?repository\\s*\\(\\s*(owner|name)\\s*:\\s*(${STRING})\\s*,?\\s*(owner|name)\\s*:\\s*(${STRING})\\s*\\)\\s*\\{`,
    'g',
  );
  const repositories = [...query.matchAll(repositoryPattern)];
  for (const repository of repositories) {
    const args: Record<string, unknown> = {
      [repository[2]]: literal(repository[3], variables),
      [repository[4]]: literal(repository[5], variables),
    };
    const key = repository[1] ?? 'repository';
    const blockStart = repository.index! + repository[0].length;
    let blockEnd = blockStart;
    for (let level = 1; blockEnd < query.length && level > 0; blockEnd += 1) {
      if (query[blockEnd] === '{') level += 1;
      if (query[blockEnd] === '}') level -= 1;
    }
    const block = query.slice(blockStart, blockEnd - 1);
    const repo = simulator.repos.get(`${args.owner}/${args.name}`.toLowerCase());
    if (!repo) {
      data[key] = null;
      errors.push({
        type: 'NOT_FOUND',
        path: [key],
        locations: [],
        message: `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`,
      });
      continue;
    }
    const result: Record<string, unknown> = {};
    const object = new RegExp(
      `(?:(\\w+)\\s*:\\s*)?object\\s*\\(\\s*(expression|oid)\\s*:\\s*(${STRING})\\s*\\)\\s*\\{`,
      'g',
    );
    let found = false;
    for (const match of block.matchAll(object)) {
      found = true;
      objects += 1;
      const alias = match[1] ?? 'object';
      const argument = String(literal(match[3], variables));
      const start = match.index! + match[0].length;
      let level = 1;
      let end = start;
      while (end < block.length && level > 0) {
        if (block[end] === '{') level += 1;
        if (block[end] === '}') level -= 1;
        end += 1;
      }
      const selection = block.slice(start, end - 1);
      const fields = blobFieldsOf(selection);
      if (typeof fields === 'string') return fail(fields);
      const unknown = fields.filter((field) => !BLOB_FIELDS.includes(field));
      if (unknown.length) {
        return fail(`Field '${unknown[0]}' doesn't exist on type 'Blob'`);
      }
      let blobSha: string | undefined;
      let isBlob = false;
      if (match[2] === 'oid') {
        blobSha = simulator.objects.blobs.has(argument) ? argument : undefined;
        isBlob = Boolean(blobSha);
        // A tree or a commit: an object, but no Blob fields.
        if (!isBlob && (simulator.objects.trees.has(argument) || simulator.objects.commits.has(argument))) {
          result[alias] = {};
          continue;
        }
      } else {
        const colon = argument.indexOf(':');
        const rev = colon < 0 ? argument : argument.slice(0, colon);
        const path = colon < 0 ? '' : argument.slice(colon + 1);
        const commit = simulator.resolveCommit(repo, rev);
        const item = commit
          ? simulator.objects.resolvePath(simulator.objects.commits.get(commit)!.tree, path)
          : undefined;
        if (item && item.type === 'blob') {
          blobSha = item.sha;
          isBlob = true;
        } else if (item) {
          result[alias] = {};
          continue;
        }
      }
      if (!isBlob || !blobSha) {
        result[alias] = null;
        continue;
      }
      const bytes = simulator.objects.blobs.get(blobSha)!;
      const binary = looksBinary(bytes);
      const truncated = !binary && bytes.length > simulator.blobTextLimit;
      const values: Record<string, unknown> = {
        text: binary ? null : truncated ? cutUtf8(bytes, simulator.blobTextLimit) : bytes.toString('utf8'),
        isBinary: binary,
        isTruncated: truncated,
        byteSize: bytes.length,
        oid: blobSha,
        abbreviatedOid: blobSha.slice(0, 7),
        commitUrl: `https://github.com/${repo.fullName}`,
        __typename: 'Blob',
      };
      result[alias] = Object.fromEntries(fields.map((field) => [field, values[field]]));
    }
    if (!found && !/\{\s*\w+/.test(block))
      return fail('the simulator understands repository { object(...) } queries only');
    data[key] = result;
  }
  // (A query whose repositories all are missing spreads nothing that GitHub would have validated differently.)
  const unused = [...fragments].find(([, fragment]) => !fragment.used);
  if (unused && Object.values(data).some((value) => value !== null))
    return fail(`Fragment ${unused[0]} was defined, but not used`);
  const repository = repositories.length > 0;
  if (/\brateLimit\b/.test(query)) {
    data.rateLimit = {
      cost: 1,
      limit: simulator.rateLimit,
      remaining: simulator.rateLimit,
      used: 0,
      resetAt: new Date(Date.now() + 3600_000).toISOString(),
      nodeCount: objects,
    };
  }
  if (!repository && !/\brateLimit\b/.test(query))
    return fail('the simulator understands repository { object(...) } and rateLimit queries only');
  return { payload: errors.length ? { data, errors } : { data }, objects };
}
