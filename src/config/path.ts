/** Where a repository keeps its shipready config (a module of its own: the CLI's usage text needs only this). */
export const CONFIG_PATH = '.github/shipready.yml';
