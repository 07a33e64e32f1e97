import type { PathMatcher } from './glob.js';

/**
 * Paths of a tree indexed by file name and by extension, so a glob list that names its files (`.gitlab-ci.yml`,
 * `**\/*.{yml,yaml}`) is tested against the few paths that can match instead of all of them — on a 100,000-file
 * tree the checks ask for hundreds of such lists. Results keep the items' order.
 */
export class PathIndex<T extends { readonly path: string }> {
  private byName?: Map<string, number[]>;
  private byExtension?: Map<string, number[]>;
  private readonly offset: number;

  /** `root`: a directory every item is under; matchers then see paths relative to it. */
  constructor(
    private readonly items: readonly T[],
    root = '',
  ) {
    this.offset = root ? root.length + 1 : 0;
  }

  /** The items whose (relative) path the matcher accepts, in order. */
  filter(matcher: PathMatcher): T[] {
    const offset = this.offset;
    const test = offset ? (item: T) => matcher(item.path.slice(offset)) : (item: T) => matcher(item.path);
    const candidates = matcher.candidates;
    if (!candidates) return this.items.filter(test);
    this.build();
    const lists: number[][] = [];
    let count = 0;
    const collect = (list: number[] | undefined) => {
      if (!list) return;
      lists.push(list);
      count += list.length;
    };
    for (const name of candidates.names) collect(this.byName!.get(name));
    for (const extension of candidates.extensions) collect(this.byExtension!.get(extension));
    // When most items are candidates anyway, one pass in order is cheaper than merging the lists.
    if (count * 2 > this.items.length) return this.items.filter(test);
    let positions = lists.length === 1 ? lists[0] : lists.flat();
    // A path can be listed under its name and its extension: sort, then skip repeats.
    if (lists.length > 1) positions = positions.sort((a, b) => a - b);
    const kept: T[] = [];
    for (let index = 0; index < positions.length; index += 1) {
      if (index > 0 && positions[index] === positions[index - 1]) continue;
      const item = this.items[positions[index]];
      if (test(item)) kept.push(item);
    }
    return kept;
  }

  private build(): void {
    if (this.byName) return;
    const byName = new Map<string, number[]>();
    const byExtension = new Map<string, number[]>();
    const add = (map: Map<string, number[]>, key: string, position: number) => {
      const list = map.get(key);
      if (list) list.push(position);
      else map.set(key, [position]);
    };
    this.items.forEach((item, position) => {
      const name = item.path.slice(item.path.lastIndexOf('/') + 1);
      add(byName, name, position);
      const dotAt = name.lastIndexOf('.');
      if (dotAt >= 0) add(byExtension, name.slice(dotAt + 1), position);
    });
    this.byName = byName;
    this.byExtension = byExtension;
  }
}
