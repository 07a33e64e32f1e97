/**
 * Realistic-looking fake credentials for the secret-scanning tests, generated at run time from a seed so that no
 * secret literal sits in a committed file (push protection and scanners would rightly flag one).
 */
const ALPHANUMERIC = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const UPPER_DIGITS = 'ABCDEFGHJKLMNPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';

/** Deterministic pseudo-random characters (mulberry32): the same fake on every run. */
export function randomString(length: number, alphabet = ALPHANUMERIC, seed = 7): string {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let out = '';
  while (out.length < length) {
    const char = alphabet[Math.floor(next() * alphabet.length)];
    // Never produce a run a placeholder filter would reject (aaaaa, abcdef).
    const previous = out.charCodeAt(out.length - 1);
    if (out.length && Math.abs(char.charCodeAt(0) - previous) <= 1) continue;
    out += char;
  }
  return out;
}

const join = (...parts: string[]) => parts.join('');

export const fake = {
  githubToken: () => join('gh', 'p_', randomString(36, ALPHANUMERIC, 11)),
  githubFineGrained: () =>
    join('github', '_pat_', randomString(22, ALPHANUMERIC, 12), '_', randomString(59, ALPHANUMERIC, 13)),
  awsKeyId: () => join('AK', 'IA', randomString(16, UPPER_DIGITS, 14)),
  awsSecret: () => randomString(40, ALPHANUMERIC + '/+', 15),
  slackBot: () =>
    join('xo', 'xb-', '48213', '97650', '12-', '5730', '918264', '33-', randomString(24, ALPHANUMERIC, 16)),
  slackWebhook: () =>
    join(
      'https://hooks.',
      'slack.com/services/',
      'T',
      randomString(10, UPPER_DIGITS, 17),
      '/B',
      randomString(10, UPPER_DIGITS, 18),
      '/',
      randomString(24, ALPHANUMERIC, 19),
    ),
  stripeLive: () => join('sk', '_live_', randomString(24, ALPHANUMERIC, 20)),
  googleKey: () => join('AI', 'za', randomString(35, ALPHANUMERIC, 21)),
  npmToken: () => join('np', 'm_', randomString(36, ALPHANUMERIC, 22)),
  openaiKey: () =>
    join('sk', '-proj-', randomString(40, ALPHANUMERIC, 23), 'T3Blbk', 'FJ', randomString(40, ALPHANUMERIC, 24)),
  anthropicKey: () => join('sk', '-ant-', 'api03-', randomString(93, ALPHANUMERIC, 25), 'AA'),
  sendgridKey: () => join('S', 'G.', randomString(22, ALPHANUMERIC, 26), '.', randomString(43, ALPHANUMERIC, 27)),
  twilioKey: () => join('S', 'K', randomString(32, HEX, 28)),
  privateKeyBlock: (type = 'RSA ') =>
    [
      join('-----BEGIN ', type, 'PRIVATE', ' KEY-----'),
      ...Array.from({ length: 4 }, (_, index) => randomString(64, ALPHANUMERIC + '+/', 30 + index)),
      join('-----END ', type, 'PRIVATE', ' KEY-----'),
      '',
    ].join('\n'),
};
