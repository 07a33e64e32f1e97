#!/usr/bin/env node
/**
 * Renders the golden Markdown files as GitHub would show them, to look at: GitHub-flavoured Markdown (marked, GFM
 * on) with GitHub's stylesheet (github-markdown-css), raw HTML passed through as the renderer gives it and then
 * stripped the way GitHub's sanitizer strips scripts and event handlers, screenshotted by headless Chromium.
 *
 *   node test/golden/render.mjs [OUT_DIR=/tmp/golden-png] [FILTER]
 *
 * The pictures are for reading, not for committing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const css = readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8');
const out = process.argv[2] ?? '/tmp/golden-png';
const filter = process.argv[3] ?? '';
mkdirSync(out, { recursive: true });

/** What GitHub's sanitizer does to the HTML we care about: no scripts, no event handlers, no javascript: links. */
function sanitize(html) {
  // Attributes are stripped inside tags only: text that reads `onerror=alert(1)` (an escaped file name) is text.
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, '')
    .replace(/<[^<>]+>/g, (tag) =>
      tag.replace(/\son\w+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '').replace(/href\s*=\s*"javascript:[^"]*"/gi, ''),
    );
}

for (const scenario of readdirSync(here, { withFileTypes: true })) {
  if (!scenario.isDirectory() || !scenario.name.includes(filter)) continue;
  for (const file of readdirSync(join(here, scenario.name))) {
    if (!file.endsWith('.md')) continue;
    const markdown = readFileSync(join(here, scenario.name, file), 'utf8');
    const body = sanitize(marked.parse(markdown, { gfm: true, breaks: false }));
    const html = `<!doctype html><meta charset="utf-8"><style>${css}\nbody{margin:0;padding:24px;width:900px;background:#fff}</style><article class="markdown-body">${body}</article>`;
    const name = `${scenario.name}--${basename(file, '.md')}`;
    const htmlPath = join(out, `${name}.html`);
    writeFileSync(htmlPath, html);
    execFileSync(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        `--screenshot=${join(out, `${name}.png`)}`,
        '--window-size=950,2400',
        `file://${htmlPath}`,
      ],
      { stdio: 'ignore' },
    );
    console.log(join(out, `${name}.png`));
  }
}
