import { z } from 'zod';
import { PROFILES, SEVERITIES } from '../engine/types.js';
import { compileGlob, GlobSyntaxError } from '../snapshot/glob.js';

const severity = z.enum(SEVERITIES);

/** `checks.<id>`: `off`, a severity, or an object with `severity` and the check's own options. */
export const checkSettingSchema = z.union([
  z.literal('off'),
  severity,
  z.looseObject({ severity: z.union([severity, z.literal('off')]).optional() }),
]);

/** A glob the matcher accepts; its error (unsupported syntax, too long, too many braces) becomes a config error. */
function validGlob(glob: string, context: z.RefinementCtx): void {
  try {
    compileGlob(glob, { dot: true });
  } catch (error) {
    if (!(error instanceof GlobSyntaxError)) throw error;
    context.addIssue({ code: 'custom', message: error.message });
  }
}

/** `.github/shipready.yml` — every key is optional; org defaults arrive through `_extends`. */
export const configSchema = z.strictObject({
  /** Force the profile instead of detecting it. */
  profile: z.enum(PROFILES).optional(),
  /** Per-check settings keyed by check id. */
  checks: z.record(z.string(), checkSettingSchema).default({}),
  ignore: z
    .strictObject({
      /** Globs of paths no check looks at (vendored code, fixtures). */
      paths: z.array(z.string().superRefine(validGlob)).default([]),
    })
    .default({ paths: [] }),
  gate: z
    .strictObject({
      /** `regressions`: fail a PR only for what it breaks; `absolute`: gate on the head commit alone. */
      mode: z.enum(['regressions', 'absolute']).default('regressions'),
      /** Lowest severity of a failing (or regressing) check that fails the gate; `none` never fails on a check. */
      failOn: z.enum([...SEVERITIES, 'none']).default('high'),
      /** The gate fails when the score is below this. */
      minScore: z.number().int().min(0).max(100).optional(),
    })
    .default({ mode: 'regressions', failOn: 'high' }),
  /** Scores that make the verdict `ready` and `ready-with-recommendations`. */
  thresholds: z
    .strictObject({
      ready: z.number().int().min(0).max(100).default(90),
      readyWithRecommendations: z.number().int().min(0).max(100).default(80),
    })
    .default({ ready: 90, readyWithRecommendations: 80 }),
  comment: z
    .strictObject({ mode: z.enum(['on-change', 'always', 'never']).default('on-change') })
    .default({ mode: 'on-change' }),
  annotations: z
    .strictObject({
      /** The highest level a finding already on the base is annotated at on a pull request (not blamed on it). */
      preexisting: z.enum(['notice', 'warning', 'failure']).default('notice'),
    })
    .default({ preexisting: 'notice' }),
  issues: z
    .strictObject({
      mode: z.enum(['per-check', 'dashboard', 'off']).default('per-check'),
      /** `on-request`: the Check Run previews the issues and offers a "File issues" button; `auto`: file them on every default-branch evaluation. */
      file: z.enum(['on-request', 'auto']).default('on-request'),
      minSeverity: severity.default('high'),
      labels: z.array(z.string().min(1).max(50)).default(['shipready']),
      /** Issues opened per run at most (GitHub limits content creation). */
      max: z.number().int().min(1).max(50).default(5),
    })
    .default({ mode: 'per-check', file: 'on-request', minSeverity: 'high', labels: ['shipready'], max: 5 }),
  /** Monorepo project roots; detected from workspaces and manifests when absent. */
  projects: z.array(z.string()).optional(),
  /** Used by Probot's config loader for org defaults. */
  _extends: z.string().optional(),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export function defaultConfig(): Config {
  return configSchema.parse({});
}
