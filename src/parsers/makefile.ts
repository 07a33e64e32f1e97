/** Makefile rules: which targets exist, what they depend on and the recipe lines they run. */

export interface MakeRule {
  /** Targets named on the rule's line (`test` and `check` in `test check: build`). */
  targets: string[];
  prerequisites: string[];
  /** Recipe lines without their leading tab and `@`/`-`/`+` prefixes, with their 1-based lines. */
  recipe: Array<{ text: string; line: number }>;
  line: number;
}

/** The rules of a Makefile (variables, conditionals and includes are not evaluated). */
export function parseMakefile(text: string): MakeRule[] {
  const rules: MakeRule[] = [];
  let current: MakeRule | undefined;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index];
    if (raw.startsWith('\t')) {
      if (!current) continue;
      let recipe = raw.slice(1).trim();
      while (recipe.startsWith('@') || recipe.startsWith('-') || recipe.startsWith('+')) recipe = recipe.slice(1);
      if (recipe && !recipe.startsWith('#')) current.recipe.push({ text: recipe.trim(), line: index + 1 });
      continue;
    }
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    current = undefined;
    const colon = trimmed.indexOf(':');
    const equals = trimmed.indexOf('=');
    // `A := b`, `A = b`, `A ?= b` are variables; `a: b` (and `a:: b`) are rules.
    if (colon <= 0 || (equals >= 0 && equals < colon) || trimmed[colon + 1] === '=') continue;
    if (/^(?:ifeq|ifneq|ifdef|ifndef|else|endif|include|-include|define|endef|export)\b/.test(trimmed)) continue;
    const targets = trimmed.slice(0, colon).split(/\s+/).filter(Boolean);
    const rest = trimmed.slice(trimmed[colon + 1] === ':' ? colon + 2 : colon + 1);
    const semicolon = rest.indexOf(';');
    const prerequisites = (semicolon >= 0 ? rest.slice(0, semicolon) : rest)
      .replace(/\|/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
    current = { targets, prerequisites, recipe: [], line: index + 1 };
    if (semicolon >= 0 && rest.slice(semicolon + 1).trim())
      current.recipe.push({ text: rest.slice(semicolon + 1).trim(), line: index + 1 });
    rules.push(current);
  }
  return rules;
}

/** The recipe lines `make <target>` runs: the target's own and those of its direct prerequisites (one level). */
export function recipeOf(rules: readonly MakeRule[], target: string): Array<{ text: string; line: number }> {
  const own = rules.filter((rule) => rule.targets.includes(target));
  const prerequisites = own.flatMap((rule) => rule.prerequisites);
  const lines = own.flatMap((rule) => rule.recipe);
  for (const prerequisite of prerequisites)
    for (const rule of rules) if (rule.targets.includes(prerequisite)) lines.push(...rule.recipe);
  return lines;
}
