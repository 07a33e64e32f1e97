import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import type { Dockerfile } from '../../src/parsers/dockerfile.js';
import { DOCKERFILE_GLOBS, NO_DOCKERFILE, getDockerfilesIn, listNames } from '../lib/container.js';

const SECRET_NAME =
  /(PASS(WORD|WD|PHRASE)?($|_)|(^|_)PWD$|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|AUTH_?KEY|CREDENTIALS?|CLIENT_?SECRET|SIGNING_?KEY|ENCRYPTION_?KEY|DSN$|CONNECTION_?STRING)/i;
/** Names that look secret but hold a path, a location or a setting (`POSTGRES_PASSWORD_FILE` is the good pattern). */
const NOT_A_SECRET =
  /(_FILE|_PATH|_DIR|_URL|_URI|_HOST|_PORT|_ENDPOINT|_HEADER|_NAME|_TTL|_EXPIRY|_EXPIRES|_EXPIRATION|_LENGTH|_TYPE|_ENABLED|_REQUIRED|_ID|_USER|_USERNAME|_FIELD|_PARAM|_MODE|_VERSION)$/i;
/** Flags and numbers (`ENV TOKEN_AUTH_ENABLED=true`, `ARG TOKEN_TTL=3600`); a placeholder password is still a default password. */
const HARMLESS_VALUE = /^(true|false|yes|no|on|off|none|null|nil|\d{1,6})$/i;

const ENV_FILE = /^\.env(\.[\w-]+)?$/;
const ENV_TEMPLATE = /\.(example|sample|template|dist|defaults?|tpl)$/i;
const KEY_FILE =
  /^(id_(rsa|dsa|ecdsa|ed25519)|.*\.(pem|key|p12|pfx|jks|keystore|ppk)|credentials\.json|service-account.*\.json|\.netrc|\.pgpass|\.git-credentials)$/i;
const TOKEN_FILE = /^(\.npmrc|\.pypirc|\.yarnrc\.yml)$/;
const DOCKER_CONFIG = /(^|\/)\.docker\/config\.json$/;

/** First 4 and last 4 characters at most, so the finding does not repeat the secret. */
export function redact(value: string): string {
  if (value.length <= 8) return '****';
  return `${value.slice(0, Math.min(4, Math.floor(value.length / 4)))}…${value.slice(-Math.min(4, Math.floor(value.length / 4)))}`;
}

function baseName(source: string): string {
  return (
    source
      .replace(/(?<!\/)\/+$/, '')
      .split('/')
      .pop() ?? source
  );
}

function scan(dockerfile: Dockerfile): {
  literal: Finding[];
  passedThrough: Finding[];
  files: Finding[];
  tokenFiles: Finding[];
} {
  const literal: Finding[] = [];
  const passedThrough: Finding[] = [];
  const files: Finding[] = [];
  const tokenFiles: Finding[] = [];
  for (const instruction of dockerfile.instructions) {
    const at = { path: dockerfile.path, line: instruction.line };
    if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') {
      for (const { name, value } of instruction.properties) {
        if (!SECRET_NAME.test(name) || NOT_A_SECRET.test(name)) continue;
        if (value === null || value === '') {
          if (instruction.keyword === 'ARG') {
            passedThrough.push({
              message: `${dockerfile.path}: ARG ${name} passes a secret as a build argument, which \`docker history\` shows; use \`RUN --mount=type=secret,id=${name.toLowerCase()}\``,
              ...at,
            });
          }
          continue;
        }
        if (/^\$\{?[A-Za-z_]/.test(value)) {
          if (instruction.keyword === 'ENV') {
            passedThrough.push({
              message: `${dockerfile.path}: ENV ${name}=${value} bakes a secret into the environment of the image; mount it at run time or use \`RUN --mount=type=secret\` for the build`,
              ...at,
            });
          }
          continue;
        }
        if (HARMLESS_VALUE.test(value)) continue;
        literal.push({
          message: `${dockerfile.path}: ${instruction.keyword} ${name} has a literal value (${redact(value)}) that anyone who pulls the image can read`,
          ...at,
        });
      }
      continue;
    }
    if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') continue;
    if (instruction.flags.some((flag) => flag.name === 'from')) continue;
    const args = instruction.json ?? instruction.args;
    const sources = args.slice(0, -1).filter((source) => !source.startsWith('<<'));
    for (const source of sources) {
      const name = baseName(source);
      if (ENV_FILE.test(name) && !ENV_TEMPLATE.test(name))
        files.push({
          message: `${dockerfile.path}: ${instruction.keyword} ${source} puts an environment file with secrets into a layer`,
          ...at,
        });
      else if (KEY_FILE.test(name) && !/^https?:/.test(source))
        files.push({
          message: `${dockerfile.path}: ${instruction.keyword} ${source} puts a key or credential file into a layer`,
          ...at,
        });
      else if (TOKEN_FILE.test(name) || DOCKER_CONFIG.test(source)) {
        tokenFiles.push({
          message: `${dockerfile.path}: ${instruction.keyword} ${source} may carry a registry token into a layer (deleting it later does not remove it)`,
          ...at,
        });
      }
    }
  }
  return { literal, passedThrough, files, tokenFiles };
}

export default defineCheck({
  id: 'dockerfile-free-of-secrets',
  category: 'container',
  severity: 'high',
  problemTitle: 'Secrets are baked into the Docker image',
  title: 'No secrets baked into images',
  description:
    'No `ENV` or `ARG` with a secret-like name (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIALS…) has a literal value, and no `COPY`/`ADD` puts a `.env` file or a key file (`id_rsa`, `*.pem`, `*.key`, `*.p12`, `credentials.json`) into the image. It warns for secrets passed through build arguments or `ENV NAME=$ARG`, and for `.npmrc`/`.pypirc` copies: build secrets belong in `RUN --mount=type=secret`. Values are redacted in findings.',
  rationale:
    'Every `ENV`, `ARG` and copied file is stored in the image layers and its history: anyone who can pull the image — a registry mirror, a CI cache, a customer — can read them, and deleting the file in a later layer does not remove it.',
  remediation: [
    'Remove the literal from the line the finding names and pass build-time secrets as BuildKit secret mounts, which never reach a layer:',
    '',
    '```dockerfile',
    '# syntax=docker/dockerfile:1',
    'RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci',
    '```',
    '',
    'Build with `docker build --secret id=npm_token,env=NPM_TOKEN .`, give runtime secrets to the container through the orchestrator (environment or `*_FILE` mounts), and keep `.env` out of the context with `.dockerignore`.',
  ].join('\n'),
  effort: 'hours',
  scope: 'project',
  needs: { files: [...DOCKERFILE_GLOBS] },
  evaluate({ snapshot }) {
    const { all, usable, unusable } = getDockerfilesIn(snapshot);
    if (!all.length) return result.notApplicable(NO_DOCKERFILE);
    const found = usable.map(scan);
    const byLine = (a: Finding, b: Finding) => (a.path! < b.path! ? -1 : a.path! > b.path! ? 1 : a.line! - b.line!);
    const hard = found.flatMap((entry) => [...entry.literal, ...entry.files]).sort(byLine);
    const soft = found.flatMap((entry) => [...entry.passedThrough, ...entry.tokenFiles]).sort(byLine);
    if (hard.length)
      return result.fail(
        `${hard.length} secret(s) baked into images: ${listNames([...new Set(hard.map((finding) => finding.path!))])}`,
        [...hard, ...soft, ...unusable],
      );
    if (soft.length || unusable.length)
      return result.warn(`${soft.length} secret(s) passed in a way that can leak into image layers`, [
        ...soft,
        ...unusable,
      ]);
    return result.pass(`No secrets in ${all.length} Dockerfile(s)`);
  },
});
