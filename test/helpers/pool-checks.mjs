// Checks for the evaluation-pool tests, as plain JavaScript: pool workers cannot run TypeScript, and check
// definitions (functions) cannot be sent to them, so a worker imports this module in place of the registry.
// `test/engine/worker-pool.test.ts` and `test/app/pool-server.test.ts` import the same list on the main thread.

const base = {
  category: 'foundations',
  severity: 'high',
  description: 'A pool test check.',
  rationale: 'Tests the evaluation pool.',
  remediation: 'None.',
  effort: 'minutes',
  scope: 'repository',
};

/** Busy-waits, so the thread is really occupied (a timer would leave it idle). */
function spin(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

export const allChecks = [
  {
    ...base,
    id: 'pool-readme',
    title: 'README present',
    needs: { files: ['README.md'] },
    evaluate: ({ snapshot }) =>
      snapshot.has('README.md')
        ? { outcome: 'pass', summary: `README.md has ${snapshot.text('README.md').length} characters`, findings: [] }
        : { outcome: 'fail', summary: 'No README.md', findings: [{ message: 'add README.md' }] },
  },
  {
    ...base,
    id: 'pool-slow',
    title: 'Slow when asked',
    needs: { files: ['SLOW'] },
    // SLOW holds a number of milliseconds to keep the thread busy.
    evaluate: ({ snapshot }) => {
      const text = snapshot.has('SLOW') ? snapshot.text('SLOW') : undefined;
      if (text === undefined) return { outcome: 'not-applicable', summary: 'no SLOW file', findings: [] };
      spin(Number(text));
      return { outcome: 'pass', summary: `busy for ${Number(text)} ms`, findings: [] };
    },
  },
  {
    ...base,
    id: 'pool-forever',
    title: 'Never ends when asked',
    needs: { files: ['docs/FOREVER.md'] },
    // What a catastrophic regular expression does to a thread: it never yields.
    evaluate: ({ snapshot }) => {
      if (!snapshot.has('docs/FOREVER.md')) return { outcome: 'pass', summary: 'no FOREVER file', findings: [] };
      snapshot.text('docs/FOREVER.md');
      for (;;);
    },
  },
];
