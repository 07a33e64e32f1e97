// `node --import` this file to print every module URL the process resolves ("module: URL" on stderr).
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  process.stderr.write('module: ' + result.url + '\\n');
  return result;
}`),
);
