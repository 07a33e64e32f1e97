// The benchmark repository: a monorepo of 200 npm workspaces with sources and tests, a Dockerfile and a workflow,
// as a map of path → content (the simulator takes it as is; bench/run.mjs writes it to disk).
export function generateFiles(count) {
  const files = {
    'README.md': `# bench\n\n${'A generated monorepo for the scan benchmark. '.repeat(30)}\n\n## Install\n\n\`\`\`sh\nnpm ci\n\`\`\`\n`,
    'package.json': JSON.stringify(
      { name: 'bench', private: true, workspaces: ['packages/*'], devDependencies: { jest: '^30', eslint: '^9' } },
      null,
      2,
    ),
    'package-lock.json': '{}',
    Dockerfile:
      'FROM node:20-slim AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci\nFROM node:20-slim\nUSER node\nHEALTHCHECK CMD node -e "1"\nCMD ["node", "index.js"]\n',
    '.github/workflows/ci.yml':
      'on: [pull_request]\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n',
  };
  const packages = 200;
  const perPackage = Math.ceil((count - 6) / packages) + 1;
  let written = 6;
  for (let p = 0; p < packages; p += 1) {
    const base = `packages/pkg-${p}`;
    files[`${base}/package.json`] = JSON.stringify({
      name: `pkg-${p}`,
      version: '1.0.0',
      dependencies: { pino: '^9' },
    });
    written += 1;
    for (let f = 1; f < perPackage && written < count; f += 1, written += 1) {
      const isTest = f % 5 === 0;
      const path = isTest ? `${base}/test/m${f}.test.js` : `${base}/src/${f % 2 ? 'lib/' : ''}m${f}.js`;
      files[path] = isTest ? `test('m${f}', () => {});\n` : `export const m${f} = process.env.M${f} ?? ${f};\n`;
    }
  }
  return files;
}
