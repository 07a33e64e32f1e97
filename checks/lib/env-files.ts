import { baseName } from './project-view.js';

/** `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `example.env`, `.env.local.example`…: meant to be committed. */
export const ENV_EXAMPLE =
  /^(\.env([.-][\w-]+)*[.-](example|sample|template|dist|defaults?|schema|tpl|tmpl)([.-][\w-]+)*|(example|sample|template|dist)([.-][\w.-]*)?\.env|env\.(example|sample|template))$/i;

/** Files meant to be committed despite the name: encrypted vaults (dotenv-vault), direnv, Flask's public settings. */
const ENV_COMMITTED_BY_DESIGN = /^(\.env\.vault|\.envrc|\.flaskenv|\.env\.(d\.ts|js|ts|mjs|cjs|json|py))$/i;

/** A real environment file: `.env`, `.env.local`, `.env.production`, `production.env`, `.env.keys`… */
export function isEnvFile(path: string): boolean {
  const name = baseName(path);
  if (ENV_EXAMPLE.test(name) || ENV_COMMITTED_BY_DESIGN.test(name)) return false;
  return /^\.env(\.[\w.-]+)?$/i.test(name) || /^[\w.-]+\.env$/i.test(name);
}

export function isEnvExample(path: string): boolean {
  return ENV_EXAMPLE.test(baseName(path));
}
