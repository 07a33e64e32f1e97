import type { Context } from 'probot';
import { installationIdOf, schedule, type AppServices } from './common.js';

export const SETTINGS_EVENTS = [
  'branch_protection_rule',
  'repository_ruleset',
  'security_and_analysis',
  'repository.edited',
  'repository.privatized',
  'repository.publicized',
] as const;

type SettingsContext = Context<
  'branch_protection_rule' | 'repository_ruleset' | 'security_and_analysis' | 'repository'
>;

/**
 * A repository setting changed (protection, rulesets, secret scanning, visibility, default branch): the settings
 * checks may change, so evaluate the default branch again. A plain `repository.edited` (description, topics) is
 * ignored; only a new default branch matters.
 */
export async function onRepositorySettings(context: SettingsContext, services: AppServices): Promise<void> {
  const payload = context.payload as {
    action?: string;
    changes?: Record<string, unknown>;
    repository?: { name: string; owner: { login: string }; default_branch: string };
  };
  const repository = payload.repository;
  if (!repository) return;
  if (context.name === 'repository' && payload.action === 'edited' && !payload.changes?.default_branch) return;
  await schedule(context, services, {
    owner: repository.owner.login,
    repo: repository.name,
    installationId: installationIdOf(context),
    defaultBranch: repository.default_branch,
    reason: `${context.name}${payload.action ? `.${payload.action}` : ''}`,
  });
}
