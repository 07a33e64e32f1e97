/**
 * Finds every regular expression in the shipped code (`src/` and `checks/`) with the TypeScript compiler API:
 * regex literals, and `new RegExp(...)` / `RegExp(...)` calls. A call whose pattern and flags are string constants
 * is a static regex like a literal; any other call builds its pattern at run time and is reported as a dynamic
 * site, so the safety test can insist that each one is accounted for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface StaticRegex {
  file: string;
  line: number;
  source: string;
  flags: string;
}

export interface DynamicRegexSite {
  file: string;
  line: number;
  /** The call's text with whitespace collapsed: what the allow-list quotes to name the site. */
  code: string;
}

export interface RegexInventory {
  staticRegexes: StaticRegex[];
  dynamicSites: DynamicRegexSite[];
}

export const SCANNED_DIRECTORIES = ['src', 'checks'];

function typeScriptFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const isConstantString = (node: ts.Node | undefined): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral =>
  node !== undefined && ts.isStringLiteralLike(node);

export function collectRegexes(root: string): RegexInventory {
  const staticRegexes: StaticRegex[] = [];
  const dynamicSites: DynamicRegexSite[] = [];
  for (const path of SCANNED_DIRECTORIES.flatMap((directory) => typeScriptFiles(join(root, directory)))) {
    const file = relative(root, path).split('\\').join('/');
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText(source);
        const lastSlash = text.lastIndexOf('/');
        staticRegexes.push({
          file,
          line: lineOf(node),
          source: text.slice(1, lastSlash),
          flags: text.slice(lastSlash + 1),
        });
      } else if (
        (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'RegExp'
      ) {
        const [pattern, flags] = node.arguments ?? [];
        if (isConstantString(pattern) && (flags === undefined || isConstantString(flags)))
          staticRegexes.push({ file, line: lineOf(node), source: pattern.text, flags: flags?.text ?? '' });
        else dynamicSites.push({ file, line: lineOf(node), code: node.getText(source).replace(/\s+/g, ' ') });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { staticRegexes, dynamicSites };
}
