import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { listHeadings, README_GLOBS, readReadme } from '../lib/community-files.js';
import { listCodeBlocks, type CodeBlock } from '../../src/parsers/markdown.js';
import { followedBy } from '../lib/project-view.js';

/** Headings of an install or setup section, as READMEs actually spell them. */
const SETUP_HEADING =
  /\b(install(ation|ing|s)?|setup|set(ting)?[ -]up|get(ting)?[ -]started|quick[ -]?start|start(ing)? here|requirements|prerequisites?|dependencies|build(ing)?|compil(e|ing|ation)|development|develop(ing)?|contributing locally|local (dev|development|environment)|download(ing)?|deploy(ing|ment)?|how to (install|build|set ?up|run)|first steps|bootstrap(ping)?|environment)\b/i;
/** Headings of a usage section. */
const USAGE_HEADING =
  /\b(usage|use|using|how to use|examples?|quick[ -]?start|get(ting)?[ -]started|start(ing)? here|run|running|how to run|tutorial|walk-?through|demo|hello,? world|first steps|basic usage|a simple example|synopsis|commands|cli|launch(ing)?|serve|serving|playground|try it)\b/i;
/** Lines that only install or fetch the project: a block made of these alone shows setup, not use. */
const INSTALL_LINE =
  /^(\$\s*|>\s*|#\s*)?(sudo\s+)?(npm (i|install|ci)|yarn( add| install)?$|yarn (add|install)|pnpm (add|install|i)|bun (add|install|i)|deno (add|install)|pip3? install|python3? -m pip install|pipx install|uv (add|pip install|sync|tool install)|poetry (add|install)|pdm (add|install)|conda (install|env create)|go (get|install|mod download)|cargo (add|install|binstall)|brew (install|tap)|apt(-get)? install|apk add|dnf install|yum install|choco install|scoop install|winget install|gem install|bundle( install| add)?$|bundle (install|add)|composer (require|install)|dotnet (add|tool install|restore)|mix deps\.get|git clone|cd |mkdir |python3? -m venv|source .*activate|\.?\/?venv|helm (repo add|install)|mvn install|curl .*\|\s*(ba|z)?sh|wget )/i;
/**
 * INSTALL_LINE's commands anywhere in a line, tested line by line; `curl … | sh` apart (the first `curl`, then the
 * rest of the line), and a venv's `activate` script as one word: their `.*` retried at every occurrence is quadratic.
 */
const INSTALL_IN_LINE = new RegExp(
  INSTALL_LINE.source
    .replace(/^\^/, '(^|\\s)')
    .replace('|curl .*\\|\\s*(ba|z)?sh', '')
    .replace('source .*activate', 'source \\S*activate'),
  'i',
);
const CURL_PIPE_TO_SHELL = followedBy(/(?:^|\s)curl\s/i, /\|\s*(?:ba|z)?sh/);
const hasInstallCommand = (content: string) =>
  content.split('\n').some((line) => INSTALL_IN_LINE.test(line) || CURL_PIPE_TO_SHELL(line));
/** A dependency declaration to paste into a manifest (Cargo.toml, pom.xml, build.gradle, Gemfile, go.mod): the install step of many libraries. */
const DEPENDENCY_SNIPPET =
  /^[ \t]*\[(dev-|build-)?dependencies(\.[\w-]+)?\][ \t\r]*$|<dependency>|^[ \t]*(implementation|api|compile|testImplementation)[ \t]*[("']|^[ \t]*gem[ \t]+["'][\w-]+["']|^[ \t]*require[ \t]+[\w.-]+\/[\w./-]+[ \t]+v\d|^[ \t]*"dependencies"[ \t]*:[ \t]*\{|<PackageReference\s/m;

interface Section {
  title: string;
  line: number;
  setup: boolean;
  usage: boolean;
}

function sectionOf(block: CodeBlock, sections: Section[]): Section | undefined {
  let found: Section | undefined;
  for (const section of sections) if (section.line < block.line) found = section;
  return found;
}

function onlyInstalls(block: CodeBlock): boolean {
  const lines = block.content
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && !line.startsWith('//'));
  return lines.length > 0 && lines.every((line) => INSTALL_LINE.test(line));
}

export default defineCheck({
  id: 'readme-has-quickstart',
  category: 'documentation',
  severity: 'medium',
  problemTitle: 'The README does not say how to install and run the project',
  title: 'README has a quick start',
  description:
    'The README has an install or setup section (headings such as Installation, Getting started, Quick start, Setup, Requirements, Building, Development) and a usage section (Usage, Examples, Running, Quick start, Getting started, Tutorial…), with at least one code block (fenced, indented, reStructuredText `::` or AsciiDoc). An install command in a code block (`npm install`, `pip install`, `go install`, `git clone`…) stands for the setup section, and a code example outside the setup sections stands for the usage section, as many READMEs show them without a heading. The score is the share of the three that is met.',
  rationale:
    'The first question every reader of a README has is "how do I get this running?". When the answer is not there, with commands to copy, people give up or ask — and new colleagues lose a day piecing it together from CI files.',
  remediation: [
    'Add an install section and a usage section with commands to copy to `README.md`:',
    '',
    '````markdown',
    '## Installation',
    '',
    '```sh',
    'npm install my-package',
    '```',
    '',
    '## Usage',
    '',
    '```js',
    "import { greet } from 'my-package';",
    "greet('world');",
    '```',
    '````',
  ].join('\n'),
  effort: 'hours',
  // Not for the docs profile (CATALOG, docs profile).
  profiles: ['service', 'library', 'cli'],
  scope: 'repository',
  needs: { files: README_GLOBS },
  evaluate({ snapshot, profile }) {
    const readme = readReadme(snapshot);
    if (!readme)
      return result.fail('No README, so no quick start', [
        { message: 'no README at the root, in .github/ or in docs/; add README.md with install and usage sections' },
      ]);
    if (readme.text === undefined) {
      return result.warn(`${readme.entry.path} ${readme.unreadable}; could not look for a quick start`, [
        { message: `${readme.entry.path} ${readme.unreadable}`, path: readme.entry.path },
      ]);
    }
    const text = readme.text;
    const sections: Section[] = listHeadings(text).map((heading) => ({
      title: heading.title,
      line: heading.line,
      setup: SETUP_HEADING.test(heading.title),
      usage: USAGE_HEADING.test(heading.title),
    }));
    const blocks = listCodeBlocks(text, readme.entry.path);
    const setupHeading = sections.find((section) => section.setup);
    const usageHeading = sections.find((section) => section.usage);
    const installBlock = blocks.find(
      (block) => hasInstallCommand(block.content) || DEPENDENCY_SNIPPET.test(block.content),
    );
    const usageBlock = blocks.find((block) => {
      const section = sectionOf(block, sections);
      return !(section?.setup && !section.usage) && !onlyInstalls(block) && !DEPENDENCY_SNIPPET.test(block.content);
    });

    const setup = setupHeading
      ? `"${setupHeading.title}" (line ${setupHeading.line})`
      : installBlock
        ? `an install ${hasInstallCommand(installBlock.content) ? 'command' : 'snippet'} (line ${installBlock.line})`
        : undefined;
    const usage = usageHeading
      ? `"${usageHeading.title}" (line ${usageHeading.line})`
      : usageBlock
        ? `a code example (line ${usageBlock.line})`
        : undefined;
    const met = [setup, usage, blocks.length > 0].filter(Boolean).length;
    if (setup && usage && blocks.length) {
      return result.pass(
        `${readme.entry.path}: setup ${setup}, usage ${usage}, ${blocks.length} code block${blocks.length > 1 ? 's' : ''}`,
      );
    }
    const findings: Finding[] = [];
    if (!setup)
      findings.push({
        message: `${readme.entry.path} has no install or setup section (looked for headings like Installation, Getting started, Quick start, Setup, Requirements, Building, Development) and no install command or dependency snippet`,
        path: readme.entry.path,
        line: 1,
      });
    if (!usage)
      findings.push({
        message: `${readme.entry.path} has no usage section (looked for headings like Usage, Examples, Running, Getting started, Tutorial) and no code example outside the setup steps`,
        path: readme.entry.path,
        line: setupHeading?.line ?? 1,
      });
    if (!blocks.length)
      findings.push({
        message: `${readme.entry.path} has no code block: show the commands to copy in a fenced block`,
        path: readme.entry.path,
        line: (usageHeading ?? setupHeading)?.line ?? 1,
      });
    // An Action (installed by one `uses:` line) or a library (one `npm install`/`pip install` line) with usage and a
    // code block is a quick start that leaves out one obvious line: `warn`, not `fail`.
    const action = ['action.yml', 'action.yaml'].find((name) => snapshot.has(name));
    if (!setup && usage && blocks.length && (action || profile === 'library')) {
      const how = action
        ? `an Action (${action}): say \`uses: owner/repo@v1\` in a short install section`
        : 'a library: add the one install command (`npm install <name>`, `pip install <name>`…)';
      return result.warn(
        `${readme.entry.path}: usage ${usage} and code blocks, but no install section; ${how}`,
        findings,
        2 / 3,
      );
    }
    const missing = [!setup && 'install/setup section', !usage && 'usage section', !blocks.length && 'code block']
      .filter(Boolean)
      .join(', ');
    return {
      outcome: 'fail',
      summary: `${readme.entry.path} lacks a quick start: no ${missing}`,
      findings,
      score: met / 3,
    };
  },
});
