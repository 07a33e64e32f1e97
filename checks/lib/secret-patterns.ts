/**
 * High-confidence secret patterns for `no-hardcoded-secrets`. Each rule has literal keywords that must occur in a
 * file before its regex runs (the gitleaks approach: cheap `includes` first), a regex whose first capture group is
 * the secret, and a filter for documented examples and placeholders. Generic "password = …" heuristics are left out
 * on purpose: a critical check must not cry wolf.
 */

export interface SecretRule {
  id: string;
  /** What the finding calls it. */
  label: string;
  /** At least one must occur (case-sensitive) in the text before the regex runs. */
  keywords: string[];
  /** Global regex; group 1 is the secret value (the whole match when there is no group). */
  pattern: RegExp;
  /** Characters of the value that carry its randomness (after the fixed prefix), for the placeholder test. */
  prefixLength?: number;
  /** Redact as a label only (private keys: even 4 characters of a key body say nothing useful). */
  labelOnly?: boolean;
}

export const SECRET_RULES: SecretRule[] = [
  {
    id: 'private-key',
    label: 'private key block',
    keywords: ['PRIVATE KEY'],
    // A real block: the header, optional RFC 1421 headers, then a full 64-character base64 line (in a file, or in a
    // JSON/YAML string with `\n` escapes). Code that merely compares against the header string does not match.
    pattern:
      /-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP |SSH2 )?PRIVATE KEY(?: BLOCK)?)-----(?:\s|\\r|\\n)+(?:[A-Za-z-]+: (?:(?!-----)[^\r\n\\])*(?:\r|\n|\\r|\\n)(?:\s|\\r|\\n)*)*([A-Za-z0-9+/=]{64,})/g,
    labelOnly: true,
  },
  {
    id: 'aws-access-key-id',
    label: 'AWS access key id',
    keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    pattern: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b/g,
    prefixLength: 4,
  },
  {
    id: 'aws-secret-access-key',
    label: 'AWS secret access key',
    keywords: [
      'aws_secret_access_key',
      'AWS_SECRET_ACCESS_KEY',
      'secretAccessKey',
      'SecretAccessKey',
      'aws_secret_key',
      'AWS_SECRET_KEY',
    ],
    pattern:
      /(?:aws_?secret_?(?:access_?)?key|secretAccessKey)["']?\s*(?:[:=]|=>)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
  },
  {
    id: 'github-token',
    label: 'GitHub token',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,251})\b/g,
    prefixLength: 4,
  },
  {
    id: 'github-fine-grained-token',
    label: 'GitHub fine-grained token',
    keywords: ['github_pat_'],
    pattern: /\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b/g,
    prefixLength: 11,
  },
  {
    id: 'gitlab-token',
    label: 'GitLab personal access token',
    keywords: ['glpat-'],
    pattern: /\b(glpat-[A-Za-z0-9_-]{20,})\b/g,
    prefixLength: 6,
  },
  {
    id: 'slack-token',
    label: 'Slack token',
    keywords: ['xoxb-', 'xoxa-', 'xoxp-', 'xoxr-', 'xoxs-'],
    pattern: /\b(xox[baprs]-\d{8,14}-[A-Za-z0-9-]{10,})/g,
    prefixLength: 5,
  },
  {
    id: 'slack-webhook',
    label: 'Slack webhook URL',
    keywords: ['hooks.slack.com'],
    pattern:
      /(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{8,12}\/[A-Z0-9]{8,12}\/[A-Za-z0-9]{20,})/g,
    prefixLength: 33,
  },
  {
    id: 'stripe-live-key',
    label: 'Stripe live secret key',
    keywords: ['sk_live_', 'rk_live_'],
    pattern: /\b((?:sk|rk)_live_[A-Za-z0-9]{20,})\b/g,
    prefixLength: 8,
  },
  {
    id: 'google-api-key',
    label: 'Google API key',
    keywords: ['AIza'],
    pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
    prefixLength: 4,
  },
  {
    id: 'npm-token',
    label: 'npm access token',
    keywords: ['npm_'],
    pattern: /\b(npm_[A-Za-z0-9]{36})\b/g,
    prefixLength: 4,
  },
  {
    id: 'pypi-token',
    label: 'PyPI upload token',
    keywords: ['pypi-AgE'],
    pattern: /\b(pypi-AgE[A-Za-z0-9_-]{50,})/g,
    prefixLength: 8,
  },
  {
    id: 'openai-key',
    label: 'OpenAI API key',
    keywords: ['T3BlbkFJ'],
    // `T3BlbkFJ` is base64 of "OpenAI": present in legacy and project keys alike, absent from look-alikes.
    // The key starts a token (after a consumed non-key character): with `\b`, every `-sk-` inside a long token was a
    // fresh start scanning the token again (1.7 s on 50 KB).
    pattern: /(?:^|[^A-Za-z0-9_-])(sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,})/g,
    prefixLength: 3,
  },
  {
    id: 'anthropic-key',
    label: 'Anthropic API key',
    keywords: ['sk-ant-'],
    pattern: /\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,120}AA)(?![A-Za-z0-9_-])/g,
    prefixLength: 13,
  },
  {
    id: 'sendgrid-key',
    label: 'SendGrid API key',
    keywords: ['SG.'],
    pattern: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g,
    prefixLength: 3,
  },
  {
    id: 'twilio-api-key',
    label: 'Twilio API key SID',
    keywords: ['SK'],
    pattern: /\b(SK[0-9a-f]{32})\b/g,
    prefixLength: 2,
  },
  {
    id: 'docker-hub-token',
    label: 'Docker Hub access token',
    keywords: ['dckr_pat_'],
    pattern: /\b(dckr_pat_[A-Za-z0-9_-]{27,})/g,
    prefixLength: 9,
  },
];

/**
 * Every rule's keywords as one alternation: the pre-pass. Most files hold none of them, and one linear scan says so
 * (about 10× cheaper than each rule's `includes` calls, one pass each); a file holding one goes on to the rules.
 */
const ANY_KEYWORD = new RegExp(
  [...new Set(SECRET_RULES.flatMap((rule) => rule.keywords))]
    .map((keyword) => keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
);

/** Words that make a value a documented example or a placeholder rather than a credential. */
const PLACEHOLDER_WORDS = /example|placeholder|dummy|sample|redacted|changeme|your|fake|xxxx|insert|replace/i;

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Runs like `aaaaa`, `000000`, or `abcdef` / `123456` never appear by chance in a random token of this length. */
function hasObviousRun(original: string): boolean {
  // Case-folded, so `aBcDeF` and `ABCDEF` count as sequences too.
  const value = original.toLowerCase();
  let same = 1;
  let ascending = 1;
  let descending = 1;
  for (let index = 1; index < value.length; index += 1) {
    const delta = value.charCodeAt(index) - value.charCodeAt(index - 1);
    same = delta === 0 ? same + 1 : 1;
    ascending = delta === 1 ? ascending + 1 : 1;
    descending = delta === -1 ? descending + 1 : 1;
    if (same >= 5 || ascending >= 6 || descending >= 6) return true;
  }
  return false;
}

/** True when the value is a documented example (`AKIAIOSFODNN7EXAMPLE`), a placeholder or an obviously made-up string. */
export function isPlaceholder(value: string, prefixLength = 0): boolean {
  const body = value.slice(prefixLength);
  if (PLACEHOLDER_WORDS.test(body)) return true;
  if (hasObviousRun(body)) return true;
  if (body.length >= 16 && entropy(body) < 3) return true;
  return false;
}

/** At most the first 4 and last 4 characters, never more than a third of the value. */
export function redact(value: string): string {
  if (value.length >= 24) return `${value.slice(0, 4)}…${value.slice(-4)}`;
  if (value.length >= 12) return `${value.slice(0, 2)}…${value.slice(-2)}`;
  return '…';
}

export interface SecretMatch {
  rule: SecretRule;
  line: number;
  /** The redacted value for the finding. */
  redacted: string;
}

/** Offsets at which each line starts, for offset → line. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function lineAt(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/** Every high-confidence secret in `text`, with its 1-based line. */
export function scanText(text: string): SecretMatch[] {
  const matches: SecretMatch[] = [];
  if (!ANY_KEYWORD.test(text)) return matches;
  let starts: number[] | undefined;
  for (const rule of SECRET_RULES) {
    if (!rule.keywords.some((keyword) => text.includes(keyword))) continue;
    rule.pattern.lastIndex = 0;
    for (const match of text.matchAll(rule.pattern)) {
      const value = rule.labelOnly ? (match[2] ?? match[0]) : (match[1] ?? match[0]);
      if (isPlaceholder(value, rule.labelOnly ? 0 : (rule.prefixLength ?? 0))) continue;
      starts ??= lineStarts(text);
      matches.push({
        rule,
        // Where the value starts: a pattern may consume the character before it (a newline counts as the line above).
        line: lineAt(starts, (match.index ?? 0) + (rule.labelOnly ? 0 : Math.max(0, match[0].indexOf(value)))),
        redacted: rule.labelOnly ? `-----BEGIN ${match[1]}----- (redacted)` : redact(value),
      });
    }
  }
  return matches.sort((a, b) => a.line - b.line);
}

/** `${NPM_TOKEN}`, `${{ secrets.X }}`, `$VAR`, `%(var)s`, `<token>`, `{{ .Values.x }}`: references, not values. */
export function isReference(value: string): boolean {
  const trimmed = value.trim().replace(/^["']|["']$/g, '');
  if (!trimmed) return true;
  if (/^\$\{?\{?|^%\(|^<.*>$|^\{\{.*\}\}$|^%[A-Z_]+%$/.test(trimmed)) return true;
  const prefix = trimmed.startsWith('npm_') ? 4 : trimmed.startsWith('pypi-') ? 5 : 0;
  return isPlaceholder(trimmed, prefix);
}
