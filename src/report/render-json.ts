import type { Report } from './types.js';

/** The JSON contract of SPEC §3, pretty-printed. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
