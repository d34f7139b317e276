import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every module a TypeScript file of `folder` (and below) imports, as `file: module`; specs are left out. */
function importsUnder(folder: string): string[] {
  const root = join(__dirname, folder);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .flatMap((file) => {
      const source = readFileSync(join(root, file), 'utf8');
      return [...source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gm)].map((match) => `${relative(__dirname, join(root, file))}: ${match[1]}`);
    });
}

// HTTP lives in the API layer and src/common: the error envelope, ApiError and its statuses, the success envelope.
const HTTP = /: (fastify|@nestjs\/platform-fastify|node:http|.*\/common\/(api-error|envelope|error-envelope\.filter|success-envelope\.interceptor)|.*\/api\/.*)$/;

describe('dependency direction', () => {
  it('keeps the domain and the search free of HTTP and of Nest: they name failures with DomainError codes', () => {
    // The provider is the Nest wiring of RecallSearch (dependency injection, not HTTP).
    const wiring = /^search\/recall-search\.provider\.ts: @nestjs\/(common|typeorm)$/;
    const reaching = [...importsUnder('domain'), ...importsUnder('search')].filter(
      (line) => HTTP.test(line) || (/: @nestjs\//.test(line) && !wiring.test(line)),
    );
    expect(reaching).toEqual([]);
  });

  it('keeps the import free of HTTP (the admin endpoint and the command share it)', () => {
    expect(importsUnder('import').filter((line) => HTTP.test(line))).toEqual([]);
  });
});
