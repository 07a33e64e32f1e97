import { extensionOf, type PathMatcher, type PathPattern } from './glob.js';

/** A position list restricted to a range: `list[from..to)`. */
interface Slice {
  list: readonly number[];
  from: number;
  to: number;
}

/** Testing a candidate (slice, split, match) costs about this many times taking one a lookup already proved. */
const TEST_COST = 8;

/**
 * The paths of a tree sorted once, with indexes built once (each on first use): by file name, by extension, by
 * directory, by parent directory name, and sub-tree ranges by binary search. A glob list is answered pattern by
 * pattern (glob.ts `PathPattern`) from its cheapest lookup — `**\/package.json` by name, `**\/*.{ts,js}` by
 * extension with no test at all, `.github/workflows/*.yml` by directory — instead of testing every glob on every path:
 * on a 100,000-file tree the engine and the checks ask for hundreds of lists, in hundreds of project roots.
 */
export class PathIndex<T extends { readonly path: string }> {
  /** The items by path (JavaScript string order, as `a.path < b.path`). */
  private readonly sorted: readonly T[];
  /** The item's position in the list given, by rank in `sorted`; absent when the list was sorted already. */
  private readonly original?: Int32Array;
  /** `root` with a slash: what every path starts with and matchers never see. */
  private readonly root: string;
  private byName?: Map<string, number[]>;
  private catalogue?: Catalog;
  /** Verdicts of patterns on names, by name id (see `testOf`). */
  private readonly nameVerdicts = new WeakMap<PathPattern, Uint8Array>();
  private directoryGeneration = 0;
  private byExtension?: Map<string, number[]>;
  private byDirectory?: Map<string, number[]>;
  private byParentName?: Map<string, number[]>;
  /** Ranks taken by the current query: `marks[rank] === generation`. */
  private marks?: Uint32Array;
  private generation = 0;

  /** `root`: a directory every item is under; matchers then see paths relative to it. */
  constructor(
    private readonly given: readonly T[],
    root = '',
  ) {
    const items = given;
    this.root = root ? `${root}/` : '';
    let inOrder = true;
    for (let index = 1; index < items.length && inOrder; index += 1)
      if (!(items[index - 1].path < items[index].path)) inOrder = false;
    if (inOrder) this.sorted = items;
    else {
      const order = Int32Array.from(items.keys()).sort((a, b) =>
        items[a].path < items[b].path ? -1 : items[a].path > items[b].path ? 1 : a - b,
      );
      this.sorted = Array.from(order, (position) => items[position]);
      this.original = order;
    }
  }

  get size(): number {
    return this.sorted.length;
  }

  /** The items of ranks `[low, high)`, in path order. */
  slice(low: number, high: number): T[] {
    return this.sorted.slice(low, high);
  }

  /** The item of a rank (the position in path order). */
  at(rank: number): T {
    return this.sorted[rank];
  }

  /** The items whose (relative) path the matcher accepts, in the order they were given. */
  filter(matcher: PathMatcher): T[] {
    const ranks = this.query(matcher);
    if (!this.original) return ranks.map((rank) => this.sorted[rank]);
    const positions = Int32Array.from(ranks, (rank) => this.original![rank]).sort();
    return Array.from(positions, (position) => this.given[position]);
  }

  /**
   * Ranks (ascending: path order) of the items under `directory` (relative to the root; '' for all) whose path
   * relative to `directory` the matcher accepts.
   */
  query(matcher: PathMatcher, directory = ''): number[] {
    const base = directory ? `${this.root}${directory}/` : this.root;
    const [low, high] = directory ? this.rangeOf(base) : [0, this.sorted.length];
    if (low >= high) return [];
    const offset = base.length;
    const patterns = matcher.patterns;
    if (!patterns) {
      const kept: number[] = [];
      for (let rank = low; rank < high; rank += 1) if (matcher(this.sorted[rank].path.slice(offset))) kept.push(rank);
      return kept;
    }
    const marks = (this.marks ??= new Uint32Array(this.sorted.length));
    if (this.generation >= 0xffffffff) {
      marks.fill(0);
      this.generation = 0;
    }
    const generation = ++this.generation;
    const kept: number[] = [];
    let ordered = true;
    for (const pattern of patterns) {
      const { slices, exact } = this.candidatesOf(pattern, base, low, high);
      const test = exact ? undefined : this.testOf(pattern, offset);
      for (const { list, from, to } of slices)
        for (let at = from; at < to; at += 1) {
          const rank = list === RANGE ? at : list[at];
          if (marks[rank] === generation) continue;
          if (test && !test(rank)) continue;
          marks[rank] = generation;
          if (kept.length && kept[kept.length - 1] > rank) ordered = false;
          kept.push(rank);
        }
    }
    if (ordered) return kept;
    // Lists merged out of order: a pass over the range's marks when that is cheaper than sorting.
    if (kept.length * Math.log2(kept.length) < high - low) return kept.sort((a, b) => a - b);
    const inOrder: number[] = [];
    for (let rank = low; rank < high; rank += 1) if (marks[rank] === generation) inOrder.push(rank);
    return inOrder;
  }

  /** The number of slashes in the item's path (relative to the root): 0 for a file at the top. */
  depthOf(rank: number): number {
    const catalog = this.catalog();
    if (!catalog.directoryDepths) {
      const base = this.root ? depthOfPath(this.root) : 0;
      catalog.directoryDepths = Uint32Array.from(catalog.directories, (directory) =>
        directory ? depthOfPath(directory) + 1 - base : 0,
      );
    }
    return catalog.directoryDepths[catalog.directoryIds[rank]];
  }

  /** Ranks of the items under `directory` (relative to the root): `[low, high)`. */
  rangeUnder(directory: string): [number, number] {
    return directory ? this.rangeOf(`${this.root}${directory}/`) : [0, this.sorted.length];
  }

  /** Ranks of the items directly inside `directory` (relative to the root; '' for its top). */
  childrenOf(directory: string): readonly number[] {
    if (!this.byDirectory) {
      const { directories, directoryIds } = this.catalog();
      this.byDirectory = this.build((_, rank) => directories[directoryIds[rank]]);
    }
    return this.byDirectory.get(directory ? `${this.root}${directory}` : this.root.slice(0, -1)) ?? [];
  }

  /**
   * The test of one candidate rank. A pattern whose last segment is not `**` is decided by the name and by the
   * directory apart (glob.ts `matchesName`, `matchesDirectory`): each is tested once per distinct name — a tree of
   * 100,000 files has a few thousand, the verdicts kept for the life of the index — and once per directory per query.
   */
  private testOf(pattern: PathPattern, offset: number): (rank: number) => boolean {
    const { matchesName, matchesDirectory } = pattern;
    if (!matchesName) return (rank) => pattern.matches(this.sorted[rank].path.slice(offset).split('/'));
    const catalog = this.catalog();
    let verdicts = this.nameVerdicts.get(pattern);
    if (!verdicts) this.nameVerdicts.set(pattern, (verdicts = new Uint8Array(catalog.names.length)));
    const byName = verdicts;
    const nameOk = (rank: number) => {
      const id = catalog.nameIds[rank];
      let verdict = byName[id];
      if (verdict === UNKNOWN) byName[id] = verdict = matchesName(catalog.names[id]) ? YES : NO;
      return verdict === YES;
    };
    if (!matchesDirectory) return nameOk;
    if (this.directoryGeneration >= 0xffffffff) {
      catalog.directoryStamps.fill(0);
      this.directoryGeneration = 0;
    }
    const generation = ++this.directoryGeneration;
    const { directoryIds, directories, directoryStamps, directoryVerdicts } = catalog;
    return (rank) => {
      if (!nameOk(rank)) return false;
      const id = directoryIds[rank];
      if (directoryStamps[id] !== generation) {
        directoryStamps[id] = generation;
        const relative = directories[id].slice(offset);
        directoryVerdicts[id] = matchesDirectory(relative ? relative.split('/') : []) ? YES : NO;
      }
      return directoryVerdicts[id] === YES;
    };
  }

  /** Each rank's name and directory as ids into lists of the distinct ones, built once. */
  private catalog(): Catalog {
    if (this.catalogue) return this.catalogue;
    const size = this.sorted.length;
    const nameIds = new Int32Array(size);
    const directoryIds = new Int32Array(size);
    const names: string[] = [];
    const directories: string[] = [];
    const nameId = new Map<string, number>();
    const directoryId = new Map<string, number>();
    let previousDirectory: string | undefined;
    let previousId = -1;
    for (let rank = 0; rank < size; rank += 1) {
      const path = this.sorted[rank].path;
      const slash = path.lastIndexOf('/');
      const name = path.slice(slash + 1);
      let id = nameId.get(name);
      if (id === undefined) nameId.set(name, (id = names.push(name) - 1));
      nameIds[rank] = id;
      // Sorted paths keep a directory's files together (mostly): compare with the previous one before the map.
      const directory = slash < 0 ? '' : path.slice(0, slash);
      if (directory !== previousDirectory) {
        let known = directoryId.get(directory);
        if (known === undefined) directoryId.set(directory, (known = directories.push(directory) - 1));
        previousDirectory = directory;
        previousId = known;
      }
      directoryIds[rank] = previousId;
    }
    return (this.catalogue = {
      names,
      nameIds,
      directories,
      directoryIds,
      directoryStamps: new Uint32Array(directories.length),
      directoryVerdicts: new Uint8Array(directories.length),
    });
  }

  /** The cheapest way to the pattern's candidates under `base`: slices of lookups, and whether they are the match. */
  private candidatesOf(
    pattern: PathPattern,
    base: string,
    low: number,
    high: number,
  ): { slices: Slice[]; exact: boolean } {
    let best: { slices: Slice[]; exact: boolean; cost: number } = {
      slices: [{ list: RANGE, from: low, to: high }],
      exact: false,
      cost: (high - low) * TEST_COST,
    };
    const consider = (slices: Slice[], exact: boolean) => {
      let count = 0;
      for (const slice of slices) count += slice.to - slice.from;
      const cost = exact ? count : count * TEST_COST;
      if (cost < best.cost) best = { slices, exact, cost };
    };
    const fromMap = (map: Map<string, number[]>, keys: ReadonlySet<string>) => {
      const slices: Slice[] = [];
      for (const key of keys) {
        const list = map.get(key);
        if (list) slices.push(restrict(list, low, high, this.sorted.length));
      }
      return slices;
    };
    if (pattern.names) consider(fromMap(this.names(), pattern.names), pattern.exact === true);
    else if (pattern.extensions) consider(fromMap(this.extensions(), pattern.extensions), pattern.exact === true);
    if (pattern.parentNames) consider(fromMap(this.parentNames(), pattern.parentNames), false);
    if (pattern.directories) {
      const slices: Slice[] = [];
      for (const directory of pattern.directories) {
        const path = `${base}${directory}`;
        if (pattern.directly) {
          const list = this.childrenOfPath(directory ? path : base.slice(0, -1));
          slices.push({ list, from: 0, to: list.length });
          continue;
        }
        // Both lie under `base`: searched within its range only.
        const [from, to] = this.rangeOf(`${path}/`, low, high);
        slices.push({ list: RANGE, from, to });
        const itself = lowerBound(this.sorted, path, low, from);
        if (itself < from && this.sorted[itself].path === path)
          slices.push({ list: RANGE, from: itself, to: itself + 1 });
      }
      consider(slices, false);
    }
    return best;
  }

  private childrenOfPath(directory: string): readonly number[] {
    this.childrenOf('');
    return this.byDirectory!.get(directory) ?? [];
  }

  /** Ranks of paths starting with `prefix` (which ends with `/`): `prefix` ≤ path < `prefix` with `0` for `/`. */
  private rangeOf(prefix: string, low = 0, high = this.sorted.length): [number, number] {
    const from = lowerBound(this.sorted, prefix, low, high);
    return [from, lowerBound(this.sorted, `${prefix.slice(0, -1)}0`, from, high)];
  }

  private names(): Map<string, number[]> {
    const { names, nameIds } = this.catalog();
    return (this.byName ??= this.build((_, rank) => names[nameIds[rank]]));
  }

  private extensions(): Map<string, number[]> {
    if (!this.byExtension) {
      const { names, nameIds } = this.catalog();
      const extensions = names.map(extensionOf);
      this.byExtension = this.build((_, rank) => extensions[nameIds[rank]]);
    }
    return this.byExtension;
  }

  private parentNames(): Map<string, number[]> {
    return (this.byParentName ??= this.build((path) => {
      const slash = path.lastIndexOf('/');
      return slash < 0 ? undefined : path.slice(path.lastIndexOf('/', slash - 1) + 1, slash);
    }));
  }

  private build(keyOf: (path: string, rank: number) => string | undefined): Map<string, number[]> {
    const map = new Map<string, number[]>();
    for (let rank = 0; rank < this.sorted.length; rank += 1) {
      const key = keyOf(this.sorted[rank].path, rank);
      if (key === undefined) continue;
      const list = map.get(key);
      if (list) list.push(rank);
      else map.set(key, [rank]);
    }
    return map;
  }
}

interface Catalog {
  names: string[];
  nameIds: Int32Array;
  directories: string[];
  directoryIds: Int32Array;
  /** Per query, the directory verdicts of one pattern: valid where the stamp is the query's generation. */
  directoryStamps: Uint32Array;
  directoryVerdicts: Uint8Array;
  /** Per directory id, the depth of its files (see `depthOf`), built on first use. */
  directoryDepths?: Uint32Array;
}

function depthOfPath(path: string): number {
  let count = 0;
  for (let index = 0; index < path.length; index += 1) if (path.charCodeAt(index) === 47) count += 1;
  return count;
}

const UNKNOWN = 0;
const YES = 1;
const NO = 2;

/** Marks a slice that is a range of ranks, not positions in a list. */
const RANGE: readonly number[] = [];

/** The part of an ascending rank list inside `[low, high)`. */
function restrict(list: readonly number[], low: number, high: number, size: number): Slice {
  if (low === 0 && high === size) return { list, from: 0, to: list.length };
  return { list, from: lowerBoundNumber(list, low), to: lowerBoundNumber(list, high) };
}

function lowerBoundNumber(list: readonly number[], value: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first rank in `[low, high)` whose path is not below `text` (`high` when none). */
function lowerBound(sorted: readonly { readonly path: string }[], text: string, low = 0, high = sorted.length): number {
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle].path < text) low = middle + 1;
    else high = middle;
  }
  return low;
}
