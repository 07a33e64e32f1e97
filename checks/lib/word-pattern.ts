/**
 * Patterns over the words of a simple command (`npm --prefix web run test:unit`), matched in one pass.
 *
 * A regular expression that looks for "a command word, then any flags, then a sub-command" anywhere in a line must
 * retry from every occurrence of the command word, and each retry scans on to the end of the line: quadratic on a
 * line of repeated command words. Here a pattern is compiled to a small automaton whose transitions test one whole
 * word each (an anchored regex on a single word, linear), and the words are fed once, with every word that can start
 * a command adding a fresh thread (Thompson's simulation). The cost is words × states, whatever the line holds.
 */

/**
 * One step of a pattern: a string is the source of a regex one whole word must match (`npm|pnpm`, `-\S+`); a function
 * tests one word in code (for "contains `test`", which as a regex would retry at every occurrence).
 */
export type WordStep = string | WordTest | Optional | Repeated | Choice | EndOfCommand | AnyWord;
export type WordTest = (word: string) => boolean;
interface Optional {
  optional: WordStep[];
}
interface Repeated {
  repeated: WordStep[];
}
interface Choice {
  choice: Array<WordStep | WordStep[]>;
}
interface EndOfCommand {
  endOfCommand: true;
}
interface AnyWord {
  anyWord: true;
}

/** The steps, zero times or once. */
export const opt = (...steps: WordStep[]): WordStep => ({ optional: steps });
/** The steps, zero or more times. */
export const star = (...steps: WordStep[]): WordStep => ({ repeated: steps });
/** One of the options (an array is a sequence). */
export const alt = (...options: Array<WordStep | WordStep[]>): WordStep => ({ choice: options });
/** The command has no more words. */
export const END_OF_COMMAND: WordStep = { endOfCommand: true };
/** Any one word. */
export const ANY_WORD: WordStep = { anyWord: true };
/** Any words, none included. */
export const ANY_WORDS: WordStep = star(ANY_WORD);

interface TestState {
  test: (word: string) => boolean;
  /** The regex source, when the test is one. */
  source?: string;
  next: number;
}
interface SplitState {
  split: number[];
}
interface EndState {
  end: number;
}
interface AcceptState {
  accept: true;
}
type State = TestState | SplitState | EndState | AcceptState;

/** Where a thread can be after a word: the word tests it waits on, and whether it has matched already. */
interface Reach {
  tests: TestState[];
  /** Test states' indices, for de-duplicating threads. */
  indices: number[];
  accepts: boolean;
  /** True when acceptance is reachable once the command has no more words. */
  acceptsAtEnd: boolean;
}

export interface WordPattern {
  /** Indexed by state: where a thread goes without consuming a word. */
  reach: Reach[];
  start: number;
  /** Only the first word may start a match (`^` in a regex). */
  anchored: boolean;
  /** All the first-word tests in one regex, when they are all regexes: most words fail it at their first character. */
  startFilter?: RegExp;
}

/** A regex one whole word must match: anchored at both ends, so it runs once per word, never retried inside it. */
const wholeWord = (source: string): RegExp => new RegExp(`^(?:${source})$`);

/**
 * Compiles `steps` into a pattern. Unanchored patterns may start at any word, and inside a word after `=`, `;`, `&`,
 * `|`, `(`, a quote or a backquote, or after `bin/` (`CMD=npm`, `./node_modules/.bin/jest`), as the shell-token
 * boundaries the command regexes used to accept.
 */
export function words(steps: WordStep[], options: { anchored?: boolean } = {}): WordPattern {
  const states: State[] = [];
  const add = (state: State) => states.push(state) - 1;
  const compileSequence = (sequence: readonly WordStep[], next: number): number => {
    let entry = next;
    for (let index = sequence.length - 1; index >= 0; index -= 1) entry = compileStep(sequence[index], entry);
    return entry;
  };
  const compileStep = (step: WordStep, next: number): number => {
    if (typeof step === 'string') {
      const regex = wholeWord(step);
      return add({ test: (word) => regex.test(word), source: step, next });
    }
    if (typeof step === 'function') return add({ test: step, next });
    if ('anyWord' in step) return add({ test: () => true, next });
    if ('endOfCommand' in step) return add({ end: next });
    if ('optional' in step) return add({ split: [compileSequence(step.optional, next), next] });
    if ('choice' in step)
      return add({
        split: step.choice.map((option) => compileSequence(Array.isArray(option) ? option : [option], next)),
      });
    const loop: SplitState = { split: [] };
    const index = add(loop);
    loop.split = [compileSequence(step.repeated, index), next];
    return index;
  };
  const accept = add({ accept: true });
  const start = compileSequence(steps, accept);
  const reach = states.map((_, index): Reach => {
    const into = new Set<number>();
    const accepts = closure(states, index, into, false);
    const tests = [...into].filter((reached) => 'test' in states[reached]);
    return {
      tests: tests.map((reached) => states[reached] as TestState),
      indices: tests,
      accepts,
      acceptsAtEnd: closure(states, index, new Set(), true),
    };
  });
  const sources = reach[start].tests.map((state) => state.source);
  const startFilter = sources.every((source) => source !== undefined)
    ? new RegExp(`^(?:${sources.map((source) => `(?:${source})`).join('|')})$`)
    : undefined;
  return { reach, start, anchored: options.anchored ?? false, ...(startFilter ? { startFilter } : {}) };
}

/** Characters after which a command may start inside a word. */
const STARTS_AFTER = new Set(['=', ';', '&', '|', '(', '`', "'", '"']);
/** Characters that end a word for matching (a `)` or quote glued to it). */
const ENDS_AT = /[;&|)`'"]/;

/** The word up to its first glued `)`, quote or operator character. */
function cut(word: string): string {
  const end = word.search(ENDS_AT);
  return end < 0 ? word : word.slice(0, end);
}

/** The forms of a word a command can start with: itself, and what follows its last start character or `bin/`. */
function startForms(word: string): string[] {
  const forms = [cut(word)];
  let after = -1;
  for (let index = word.length - 1; index >= 0; index -= 1)
    if (STARTS_AFTER.has(word[index])) {
      after = index + 1;
      break;
    }
  if (after > 0) forms.push(cut(word.slice(after)));
  const bin = word.lastIndexOf('bin/');
  if (bin >= 0 && bin + 4 > after) forms.push(cut(word.slice(bin + 4)));
  return forms;
}

/**
 * Adds the states reachable from `from` without consuming a word (word tests, and end-of-command checks) to `into`;
 * true when the pattern accepts on the way. `atEnd` (after the last word) lets end-of-command checks pass.
 */
function closure(states: readonly State[], from: number, into: Set<number>, atEnd: boolean): boolean {
  const stack = [from];
  const seen = new Set<number>();
  while (stack.length) {
    const index = stack.pop()!;
    if (seen.has(index)) continue;
    seen.add(index);
    const state = states[index];
    if ('accept' in state) return true;
    if ('split' in state) stack.push(...state.split);
    else if ('end' in state && atEnd) stack.push(state.end);
    else into.add(index);
  }
  return false;
}

/** The words of a command, prepared once for every pattern tried on it. */
export interface PreparedWords {
  /** Each word up to its first glued `)`, quote or operator character. */
  cut: string[];
  /** The forms each word can start a command with. */
  forms: string[][];
}

export function prepareWords(commandWords: readonly string[]): PreparedWords {
  return { cut: commandWords.map(cut), forms: commandWords.map(startForms) };
}

/** True when the pattern matches the command's words from some word on (from the first, when anchored). */
export function matchWords(pattern: WordPattern, input: readonly string[] | PreparedWords): boolean {
  const prepared = Array.isArray(input) ? prepareWords(input) : (input as PreparedWords);
  const { reach, startFilter } = pattern;
  const starting = reach[pattern.start];
  if (starting.accepts) return true;
  const count = prepared.cut.length;
  if (!count) return starting.acceptsAtEnd;
  // Threads are the test states waiting for the next word; `mark` de-duplicates them per word.
  let active: TestState[] = [];
  let next: TestState[] = [];
  const mark = new Int32Array(reach.length).fill(-1);
  for (let index = 0; index < count; index += 1) {
    next.length = 0;
    let atEnd = false;
    const word = prepared.cut[index];
    const forms = pattern.anchored ? (index === 0 ? [word] : []) : prepared.forms[index];
    let startable = false;
    for (const form of forms) if (!startFilter || startFilter.test(form)) startable = true;
    const candidates = startable ? [...active, ...starting.tests] : active;
    for (let at = 0; at < candidates.length; at += 1) {
      const state = candidates[at];
      const passes = at < active.length ? state.test(word) : forms.some((form) => state.test(form));
      if (!passes) continue;
      const after = reach[state.next];
      if (after.accepts) return true;
      if (after.acceptsAtEnd) atEnd = true;
      for (let reached = 0; reached < after.tests.length; reached += 1)
        if (mark[after.indices[reached]] !== index) {
          mark[after.indices[reached]] = index;
          next.push(after.tests[reached]);
        }
    }
    if (index === count - 1) return atEnd;
    if (!next.length && pattern.anchored) return false;
    [active, next] = [next, active];
  }
  return false;
}
