import type { Context } from 'probot';
import { installationIdOf, schedule, type AppServices } from './common.js';

/** Installed (or repositories added): evaluate each repository's default branch once. */
export async function onInstallation(
  context: Context<'installation.created' | 'installation_repositories.added'>,
  services: AppServices,
): Promise<void> {
  const { payload } = context;
  const repositories = 'repositories_added' in payload ? payload.repositories_added : (payload.repositories ?? []);
  const account = payload.installation.account as { login?: string; slug?: string } | null;
  for (const repository of repositories) {
    const [owner, repo] = repository.full_name.split('/');
    await schedule(context, services, {
      owner: owner ?? account?.login ?? account?.slug ?? '',
      repo: repo ?? repository.name,
      installationId: installationIdOf(context),
      reason: context.name === 'installation' ? 'installation.created' : 'installation_repositories.added',
    });
  }
}
