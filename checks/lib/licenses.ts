import { spdxLicenseIds } from '../../src/parsers/spdx.js';

/**
 * Recognises a license from its text, the way GitHub's licensee does in spirit: by phrases each license's text
 * always contains. Returns an SPDX id, or undefined when the text matches no known license.
 */

interface LicenseRule {
  spdx: string;
  /** Every pattern must match (case-insensitive, whitespace-normalised text). */
  all: RegExp[];
  /** None of these may match. */
  none?: RegExp[];
}

/** Order matters: more specific texts first (MIT-0 before MIT, BSD-4 before BSD-3 before BSD-2). GNU licenses are below. */
const RULES: LicenseRule[] = [
  { spdx: 'Apache-2.0', all: [/apache license/, /version 2\.0/] },
  { spdx: 'MPL-2.0', all: [/mozilla public license,? (version|v\.?) ?2\.0/] },
  { spdx: 'EPL-2.0', all: [/eclipse public license - v(ersion)? ?2\.0/] },
  { spdx: 'EPL-1.0', all: [/eclipse public license - v(ersion)? ?1\.0/] },
  { spdx: 'BSL-1.0', all: [/boost software license - version 1\.0/] },
  { spdx: 'Unlicense', all: [/this is free and unencumbered software released into the public domain/] },
  { spdx: 'CC0-1.0', all: [/cc0 1\.0 universal|creative commons (?:legal code )?cc0/] },
  { spdx: 'CC0-1.0', all: [/statement of purpose/, /cc0/] },
  { spdx: 'CC-BY-SA-4.0', all: [/attribution-sharealike 4\.0 international/] },
  { spdx: 'CC-BY-4.0', all: [/attribution 4\.0 international/] },
  { spdx: 'BUSL-1.1', all: [/business source license 1\.1/] },
  { spdx: 'Elastic-2.0', all: [/elastic license 2\.0/] },
  { spdx: 'SSPL-1.0', all: [/server side public license/] },
  { spdx: 'Artistic-2.0', all: [/the artistic license 2\.0/] },
  {
    spdx: 'Zlib',
    all: [/provided ['‘]?as-is['’]?, without any express or implied warranty/, /must not be misrepresented/],
  },
  { spdx: 'WTFPL', all: [/do what the fuck you want to public license/] },
  {
    spdx: 'PostgreSQL',
    all: [
      /permission to use, copy, modify, and distribute this software and its documentation for any purpose, without fee, and without a written agreement/,
    ],
  },
  {
    spdx: 'MIT-0',
    all: [/permission is hereby granted, free of charge, to any person obtaining a copy/],
    none: [/the above copyright notice and this permission notice shall be included/],
  },
  {
    spdx: 'MIT',
    all: [
      /permission is hereby granted, free of charge, to any person obtaining a copy/,
      /the above copyright notice and this permission notice shall be included/,
    ],
  },
  {
    spdx: '0BSD',
    all: [
      /permission to use, copy, modify, and\/or distribute this software for any purpose with or without fee is hereby granted/,
    ],
    none: [/provided that the above copyright notice/],
  },
  {
    spdx: 'ISC',
    all: [
      /permission to use, copy, modify, and\/or distribute this software for any purpose with or without fee is hereby granted/,
    ],
  },
  {
    spdx: 'ISC',
    all: [
      /permission to use, copy, modify, and distribute this software for any purpose with or without fee is hereby granted/,
    ],
  },
  {
    spdx: 'BSD-4-Clause',
    all: [/redistribution and use in source and binary forms/, /all advertising materials mentioning features/],
  },
  {
    spdx: 'BSD-3-Clause',
    all: [/redistribution and use in source and binary forms/, /endorse or promote products derived/],
  },
  {
    spdx: 'BSD-2-Clause',
    all: [/redistribution and use in source and binary forms/, /redistributions in binary form must reproduce/],
  },
  { spdx: 'Python-2.0', all: [/python software foundation license version 2/] },
];

/** Titles a short file may carry instead of the text (e.g. a LICENSE holding only "MIT License"). */
const TITLES: Array<{ spdx: string; pattern: RegExp }> = [
  { spdx: 'MIT', pattern: /^(the )?mit license( \(mit\))?$/ },
  { spdx: 'Apache-2.0', pattern: /^apache license,? version 2\.0$/ },
  { spdx: 'ISC', pattern: /^(the )?isc license$/ },
];

/**
 * GNU texts name each other (the GPL-3.0 mentions the LGPL and the AGPL), so the family is the title that comes
 * first and the version is the first one stated after it.
 */
function detectGnu(normalised: string): string | undefined {
  const title = /gnu (affero |lesser |library )?general public license/.exec(normalised);
  // A preface may come first (git's COPYING explains its GPL-2.0-only choice before the text).
  if (!title || title.index > 2000) return undefined;
  const version = /version (\d)(\.\d)?/.exec(normalised.slice(title.index, title.index + 300));
  if (!version) return undefined;
  const number = `${version[1]}${version[2] ?? '.0'}`;
  const family = title[1]?.trim();
  if (family === 'affero') return number.startsWith('3') ? 'AGPL-3.0' : 'AGPL-1.0';
  if (family === 'lesser') return number === '2.1' ? 'LGPL-2.1' : 'LGPL-3.0';
  if (family === 'library') return 'LGPL-2.0';
  return number.startsWith('3') ? 'GPL-3.0' : number.startsWith('2') ? 'GPL-2.0' : 'GPL-1.0';
}

export function normaliseLicenseText(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/[“”]/g, '"')
    .replace(/[*#>_]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

const SPDX_TAG = 'SPDX-License-Identifier:';

/** The id of the first `SPDX-License-Identifier:` line whose value is an SPDX expression (up to a comment end). */
function spdxTag(text: string): string | undefined {
  if (!text.includes(SPDX_TAG)) return undefined;
  for (const line of text.split('\n')) {
    const at = line.indexOf(SPDX_TAG);
    if (at < 0) continue;
    let value = line.slice(at + SPDX_TAG.length);
    for (const end of ['*/', '-->']) {
      const cut = value.indexOf(end);
      if (cut >= 0) value = value.slice(0, cut);
    }
    const id = value.trim();
    if (/^[A-Za-z0-9.+\-() ]+$/.test(id)) return id;
  }
  return undefined;
}

/** The SPDX id a license text states, or undefined. `SPDX-License-Identifier:` lines win over the text. */
export function detectLicenseText(text: string): string | undefined {
  const tagged = spdxTag(text);
  if (tagged) return tagged;
  const normalised = normaliseLicenseText(text);
  // Non-GNU rules first: the MPL and EPL texts name the GPL as a "Secondary License".
  for (const rule of RULES) {
    if (
      rule.all.every((pattern) => pattern.test(normalised)) &&
      !(rule.none ?? []).some((pattern) => pattern.test(normalised))
    )
      return rule.spdx;
  }
  const gnu = detectGnu(normalised);
  if (gnu) return gnu;
  const firstLine = normaliseLicenseText(text.split('\n').find((line) => line.trim()) ?? '');
  if (normalised.length < 200) for (const { spdx, pattern } of TITLES) if (pattern.test(firstLine)) return spdx;
  return undefined;
}

/** SPDX ids (and common ways of writing them) in a manifest's `license` field, normalised for comparison. */
export function normaliseSpdx(id: string): string {
  return id
    .trim()
    .replace(/-(only|or-later)$/i, '')
    .replace(/\+$/, '')
    .toLowerCase();
}

/** True when a manifest license expression names the detected id ("MIT OR Apache-2.0" names MIT), parsed as SPDX. */
export function expressionMentions(expression: string, spdx: string): boolean {
  const wanted = normaliseSpdx(spdx);
  return (spdxLicenseIds(expression) ?? []).some((id) => normaliseSpdx(id) === wanted);
}
