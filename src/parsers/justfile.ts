/**
 * justfile recipes (https://just.systems): names, dependencies and body lines, for following `just <recipe>` one
 * level like a make target. Expressions, `{{ }}` interpolation, conditionals and imports are not evaluated.
 */

export interface JustRecipe {
  name: string;
  /** Recipes it depends on (`test: build lint` and `test: (build "x")`), run before its body. */
  dependencies: string[];
  /** Body lines without indentation and the `@`/`-` prefixes, with their 1-based lines. */
  body: Array<{ text: string; line: number }>;
  line: number;
}

export interface Justfile {
  recipes: JustRecipe[];
  /** `alias t := test`. */
  aliases: Record<string, string>;
}

const NAME = /^[A-Za-z_][\w-]*$/;

/** The recipes and aliases of a justfile; never throws. */
export function parseJustfile(text: string): Justfile {
  const recipes: JustRecipe[] = [];
  const aliases: Record<string, string> = {};
  let current: JustRecipe | undefined;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index];
    if (raw.startsWith(' ') || raw.startsWith('\t')) {
      if (!current) continue;
      let body = raw.trim();
      while (body.startsWith('@') || body.startsWith('-')) body = body.slice(1);
      body = body.trim();
      // A shebang recipe's first line names the interpreter; its other lines are the script.
      if (body && !body.startsWith('#')) current.body.push({ text: body, line: index + 1 });
      continue;
    }
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    current = undefined;
    if (trimmed.startsWith('[')) continue; // attributes: [private], [linux], [group('ci')]
    if (trimmed.startsWith('alias ')) {
      const [name, target] = trimmed.slice('alias '.length).split(':=');
      if (name && target && NAME.test(name.trim()) && NAME.test(target.trim())) aliases[name.trim()] = target.trim();
      continue;
    }
    // `set …`, `export X := …`, `x := …`, `import '…'`, `mod …` are not recipes.
    if (/^(?:set|export|import|mod)\s/.test(trimmed) || trimmed.includes(':=')) continue;
    const colon = trimmed.indexOf(':');
    if (colon <= 0) continue;
    let head = trimmed.slice(0, colon).trim();
    if (head.startsWith('@')) head = head.slice(1);
    const name = head.split(/\s+/)[0];
    if (!NAME.test(name)) continue;
    const dependencies = dependenciesOf(trimmed.slice(colon + 1));
    current = { name, dependencies, body: [], line: index + 1 };
    recipes.push(current);
  }
  return { recipes, aliases };
}

/** `build lint`, `(build "release") lint`, `build && cleanup`: the recipe names, without arguments. */
function dependenciesOf(rest: string): string[] {
  const names: string[] = [];
  let index = 0;
  while (index < rest.length) {
    const character = rest[index];
    if (character === '#') break;
    if (character === ' ' || character === '\t' || character === '&') {
      index += 1;
    } else if (character === '(') {
      const close = rest.indexOf(')', index);
      const inside = rest.slice(index + 1, close < 0 ? rest.length : close).trim();
      const name = inside.split(' ')[0];
      if (NAME.test(name)) names.push(name);
      index = close < 0 ? rest.length : close + 1;
    } else {
      let end = index;
      while (end < rest.length && rest[end] !== ' ' && rest[end] !== '\t' && rest[end] !== '#') end += 1;
      const word = rest.slice(index, end);
      if (NAME.test(word)) names.push(word);
      index = end;
    }
  }
  return names;
}

/**
 * The lines `just <recipe>` runs: the recipe's own body and those of its direct dependencies (one level); a bare
 * `just` runs the first recipe (just's default). Aliases are resolved.
 */
export function justRecipeLines(justfile: Justfile, recipe: string | undefined): Array<{ text: string; line: number }> {
  const name = recipe === undefined ? justfile.recipes[0]?.name : (justfile.aliases[recipe] ?? recipe);
  const own = justfile.recipes.find((candidate) => candidate.name === name);
  if (!own) return [];
  const lines = [...own.body];
  for (const dependency of own.dependencies) {
    const target = justfile.recipes.find(
      (candidate) => candidate.name === (justfile.aliases[dependency] ?? dependency),
    );
    if (target) lines.unshift(...target.body);
  }
  return lines;
}
