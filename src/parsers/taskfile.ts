/**
 * Taskfile.yml tasks (https://taskfile.dev), parsed with `yaml`: each task's commands with their lines and the
 * tasks it calls (`deps:` and `cmds: - task: x`), for following `task <name>` one level like a make target.
 * Templates (`{{.VAR}}`), `includes:` and `for:` loops are not evaluated.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export interface TaskfileTask {
  name: string;
  /** Shell commands (`cmds:` strings and `cmd:` entries), with their 1-based lines. */
  commands: Array<{ text: string; line: number }>;
  /** Tasks it runs: `deps:` and `cmds: - task: name`. */
  calls: string[];
}

const lineOf = (counter: LineCounter, node: unknown) => {
  const offset = (node as Node | undefined)?.range?.[0];
  return offset === undefined ? 1 : counter.linePos(offset).line;
};

/** The tasks of a Taskfile; empty when it does not parse. Never throws. */
export function parseTaskfile(text: string): TaskfileTask[] {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: false });
  if (document.errors.length || !isMap(document.contents)) return [];
  const tasksNode = document.contents.get('tasks', true);
  if (!isMap(tasksNode)) return [];
  const tasks: TaskfileTask[] = [];
  for (const pair of tasksNode.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (!name) continue;
    const task: TaskfileTask = { name, commands: [], calls: [] };
    /** A block scalar (`|`) holds several lines: each is a command, on its own line of the file. */
    const pushScalar = (node: unknown) => {
      if (!isScalar(node) || typeof node.value !== 'string') return;
      const start = lineOf(counter, node);
      const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
      node.value.split('\n').forEach((line, index) => {
        if (line.trim()) task.commands.push({ text: line.trim(), line: start + index + (block ? 1 : 0) });
      });
    };
    const addCommand = (node: unknown) => {
      if (isScalar(node)) {
        pushScalar(node);
      } else if (isMap(node)) {
        const called = node.get('task', true);
        pushScalar(node.get('cmd', true));
        if (isScalar(called) && typeof called.value === 'string') task.calls.push(called.value);
      }
    };
    const body = pair.value;
    // Short forms: `build: go build ./...` and `build: [go vet ./..., go build ./...]`.
    if (isScalar(body) || isSeq(body)) {
      for (const item of isSeq(body) ? body.items : [body]) addCommand(item);
    } else if (isMap(body)) {
      const cmds = body.get('cmds', true);
      for (const item of isSeq(cmds) ? cmds.items : []) addCommand(item);
      const cmd = body.get('cmd', true);
      if (cmd) addCommand(cmd);
      const deps = body.get('deps', true);
      for (const item of isSeq(deps) ? deps.items : []) {
        if (isScalar(item) && typeof item.value === 'string') task.calls.push(item.value);
        else if (isMap(item)) {
          const called = item.get('task', true);
          if (isScalar(called) && typeof called.value === 'string') task.calls.push(called.value);
        }
      }
    }
    tasks.push(task);
  }
  return tasks;
}

/**
 * The commands `task <name>` runs: the task's own and those of the tasks it calls (one level); a bare `task` runs
 * `default`.
 */
export function taskCommandLines(
  tasks: readonly TaskfileTask[],
  name: string | undefined,
): Array<{ text: string; line: number }> {
  const own = tasks.find((task) => task.name === (name ?? 'default'));
  if (!own) return [];
  const lines = [...own.commands];
  for (const call of own.calls) lines.push(...(tasks.find((task) => task.name === call)?.commands ?? []));
  return lines;
}
