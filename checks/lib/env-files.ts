import { baseName } from './project-view.js';

/** Words that mark a dotenv file as a template meant to be committed. */
const EXAMPLE_WORD = /^(?:example|sample|template|dist|defaults?|schema|tpl|tmpl)$/i;
/** `example.env`, `sample.local.env`, `env.example`…: the other spellings. */
const ENV_EXAMPLE_OTHER =
  /^(?:(?:example|sample|template|dist)(?:[.-][\w.-]*)?\.env|env\.(?:example|sample|template))$/i;
/** What may follow `.env`: `.`/`-`-separated words, every `.` starting a word (`.local.example`, `-dev.sample`). */
const DOTENV_SUFFIX = /^[.-][\w-](?:[\w-]|\.[\w-])*$/;

/**
 * `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `example.env`, `.env.local.example`…: meant to be
 * committed. The `.env…` form is checked word by word: as one expression its overlapping word repetitions
 * backtrack exponentially (18 s on a 28-byte name).
 */
export function isEnvExampleName(name: string): boolean {
  if (ENV_EXAMPLE_OTHER.test(name)) return true;
  if (name.slice(0, 4).toLowerCase() !== '.env') return false;
  const suffix = name.slice(4);
  return DOTENV_SUFFIX.test(suffix) && suffix.split(/[.-]/).some((word) => EXAMPLE_WORD.test(word));
}

/** Files meant to be committed despite the name: encrypted vaults (dotenv-vault), direnv, Flask's public settings. */
const ENV_COMMITTED_BY_DESIGN = /^(\.env\.vault|\.envrc|\.flaskenv|\.env\.(d\.ts|js|ts|mjs|cjs|json|py))$/i;

/** A real environment file: `.env`, `.env.local`, `.env.production`, `production.env`, `.env.keys`… */
export function isEnvFile(path: string): boolean {
  const name = baseName(path);
  if (isEnvExampleName(name) || ENV_COMMITTED_BY_DESIGN.test(name)) return false;
  return /^\.env(\.[\w.-]+)?$/i.test(name) || /^[\w.-]+\.env$/i.test(name);
}

export function isEnvExample(path: string): boolean {
  return isEnvExampleName(baseName(path));
}

/** Names that hold credentials. */
const SECRET_NAME =
  /(SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|(^|_)PWD$|API_?KEY|PRIVATE|CREDENTIAL|ACCESS_?KEY|AUTH|(^|_)DSN$|SALT|SIGNING|_KEY$|^KEY$|WEBHOOK)/i;
/** Values that are obviously not real: empty, placeholders, references to other variables. */
const PLACEHOLDER =
  /^(|changeme|change[-_ ]?me|replace[-_ ]?me|todo|tbd|xxx+|\.{3}|\*+|none|null|nil|false|true|0|example|dummy|fake|test|testing|placeholder|secret|password|your[-_ ].*|<.*>|\$\{.*\}|\$[A-Z_]+|%.*%|\{\{.*\}\})$/i;
/** A `/` ends the password: in a URL's user-info it is percent-encoded, and the scan stops at the next `://`. */
const URL_WITH_CREDENTIALS = /:\/\/[^:/\s@]+:([^@\s/]+)@([^/:\s]+)/;
const LOCAL_HOST =
  /^(localhost|127\.0\.0\.1|0\.0\.0\.0|host\.docker\.internal|db|database|postgres|mysql|redis|mongo|mongodb)$/i;

export interface SecretLine {
  line: number;
  name: string;
}

/** Lines of a dotenv file whose value looks like a real credential. Values are never returned. */
export function findSecretLines(text: string): SecretLine[] {
  const found: SecretLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*[=:]/.exec(raw);
    if (!match) return;
    const name = match[1];
    let value = raw.slice(match[0].length).trim();
    const quoted = quotedValue(value);
    value = quoted ?? value.replace(/(?<!\s)\s+#[^]*$/, '');
    const credentials = URL_WITH_CREDENTIALS.exec(value);
    if (credentials && !PLACEHOLDER.test(credentials[1]) && !LOCAL_HOST.test(credentials[2])) {
      found.push({ line: index + 1, name });
      return;
    }
    if (SECRET_NAME.test(name) && !PLACEHOLDER.test(value) && value.length >= 6) found.push({ line: index + 1, name });
  });
  return found;
}

/** Symfony commits `.env` with non-secret defaults by design (secrets go to `.env.local` or the secrets vault). */
export function isSymfonyDotenv(text: string): boolean {
  return /^###> symfony\//m.test(text);
}

const COMMENT_OR_END = /\s*(?:#|$)/y;

/** The inside of a quoted value (`"a b" # note` → `a b`): the last closing quote followed by a comment or nothing. */
function quotedValue(value: string): string | undefined {
  const quote = value[0];
  if (quote !== '"' && quote !== "'" && quote !== '`') return undefined;
  for (let close = value.lastIndexOf(quote); close > 0; close = value.lastIndexOf(quote, close - 1)) {
    COMMENT_OR_END.lastIndex = close + 1;
    if (COMMENT_OR_END.test(value)) return value.slice(1, close);
  }
  return undefined;
}
