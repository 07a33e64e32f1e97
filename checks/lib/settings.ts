import { result } from '../../src/engine/define-check.js';
import type { CheckResult } from '../../src/engine/types.js';
import type { SettingKey, SettingState, SettingValues } from '../../src/snapshot/types.js';

/**
 * `not-supported` for a setting the source cannot tell, carrying the source's reason (a local directory, a missing
 * App permission, an API error) into the summary and a finding, so the report says why the check is not scored.
 */
export function unknownSetting(
  question: string,
  setting: string,
  state: { status: 'not-supported'; reason: string },
): CheckResult {
  return result.notSupported(`cannot tell whether ${question}: ${state.reason}`, [
    { message: `the ${setting} setting could not be read: ${state.reason}` },
  ]);
}

/** A yes/no repository setting as pass/fail, or `not-supported` with the reason. */
export function evaluateToggle(
  state: SettingState<boolean>,
  text: { what: string; setting: string; on: string; off: string; fix: string },
): CheckResult {
  if (state.status !== 'ok') return unknownSetting(text.what, text.setting, state);
  return state.value ? result.pass(text.on) : result.fail(text.off, [{ message: text.fix }]);
}

export type BooleanSettingKey = { [K in SettingKey]: SettingValues[K] extends boolean ? K : never }[SettingKey];
