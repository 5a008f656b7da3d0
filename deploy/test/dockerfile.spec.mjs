// The image recipes, read without a Docker engine: the instructions they must have (non-root
// user, health check, the APP argument, a build on the build machine's platform, production
// dependencies only) and the files they use.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CARRIED_APPS } from '../prune.mjs';
import { directives, execForm, parseDockerfile, stagesOf } from './support/dockerfile.mjs';

const ROOT = join(import.meta.dirname, '../..');
const read = (path) => readFileSync(join(ROOT, path), 'utf8');

function recipe(path) {
  const text = read(path);
  const { preamble, stages } = stagesOf(parseDockerfile(text));
  const stage = (name) => stages.find((candidate) => candidate.name === name);
  const all = (name, instruction) => stage(name).instructions.filter((item) => item.instruction === instruction);
  return { text, preamble, stages, stage, all, final: stages.at(-1) };
}

function expectCommonRules(image) {
  // RUN --mount needs the BuildKit frontend named by the syntax directive.
  expect(directives(image.text).syntax).toMatch(/^docker\/dockerfile:1\.\d+$/);
  // Every COPY --from names a stage defined before it.
  image.stages.forEach((stage, index) => {
    for (const copy of stage.instructions.filter((item) => item.instruction === 'COPY')) {
      const from = /--from=(\S+)/.exec(copy.args)?.[1];
      if (from) expect(image.stages.slice(0, index).map((candidate) => candidate.name)).toContain(from);
    }
  });
  // The compile stage runs on the building machine (multi-arch builds with buildx stay fast).
  expect(image.stage('build').platform).toBe('$BUILDPLATFORM');
  const final = image.final.instructions;
  const user = final.filter((item) => item.instruction === 'USER').at(-1);
  expect(user).toBeDefined();
  const [uid] = user.args.split(':');
  expect(uid).toMatch(/^\d+$/); // numeric, so that Kubernetes' runAsNonRoot can verify it
  expect(Number(uid)).toBeGreaterThan(0);
  const healthcheck = final.find((item) => item.instruction === 'HEALTHCHECK');
  expect(healthcheck?.args).toMatch(/^--interval=\S+ --timeout=\S+ --start-period=\S+ --retries=\d+ CMD \[/);
  expect(final.find((item) => item.instruction === 'VOLUME')?.args).toBe('["/tmp"]');
}

describe('deploy/Dockerfile (the Nest apps)', () => {
  const image = recipe('deploy/Dockerfile');

  it('has the stages build, deps and runtime, runtime last', () => {
    expect(image.stages.map((stage) => stage.name)).toEqual(['build', 'deps', 'runtime']);
    expect(image.preamble.map((item) => item.args)).toEqual(['NODE_IMAGE=node:24.21.0-bookworm-slim']);
  });

  it('follows the rules every image of the project follows', () => expectCommonRules(image));

  it('takes the app from the APP build argument in the stages that use it', () => {
    for (const stage of ['build', 'runtime']) {
      expect(image.all(stage, 'ARG').map((item) => item.args)).toContain('APP');
    }
    const build = image.all('build', 'RUN').map((item) => item.args);
    expect(build.some((args) => args.includes('test -n "$APP"'))).toBe(true);
    const nxBuild = build.find((args) => /npx nx run-many -t build -p "\$APP"/.test(args));
    expect(nxBuild).toBeDefined();
    // The gateway's image carries the web app it serves and the apps it runs (prune.mjs copies them).
    const alsoBuilt = /\$\(\[ "\$APP" = gateway \] && echo ([^)]*)\)/.exec(nxBuild)?.[1].split(' ');
    expect(alsoBuilt).toEqual(['web', ...CARRIED_APPS.gateway]);
    expect(build.some((args) => args === 'node deploy/prune.mjs "$APP" /out')).toBe(true);
    const env = image
      .all('runtime', 'ENV')
      .map((item) => item.args)
      .join(' ');
    expect(env).toContain('NODE_ENV=production');
    expect(env).toContain('LEXY_APP=$APP');
  });

  it('installs only production dependencies, without running install scripts', () => {
    const deps = image
      .all('deps', 'RUN')
      .map((item) => item.args)
      .join(' ');
    expect(deps).toContain('npm install --omit=dev --ignore-scripts');
    expect(deps).toContain('workspace-links.txt');
    expect(image.all('runtime', 'COPY').map((item) => item.args)).toEqual([
      '--from=deps /app/ ./',
      '--from=build /out/app/ ./',
    ]);
  });

  it('runs as the unprivileged node user, checks health with the shipped script and starts the app', () => {
    const final = image.final.instructions;
    expect(final.find((item) => item.instruction === 'USER').args).toBe('1000:1000');
    expect(execForm(final.find((item) => item.instruction === 'HEALTHCHECK').args.replace(/^.*?CMD /, ''))).toEqual([
      'node',
      'deploy/healthcheck.mjs',
    ]);
    expect(execForm(final.find((item) => item.instruction === 'CMD').args)).toEqual(['node', '.']);
  });

  it('uses files that exist', () => {
    for (const path of ['deploy/prune.mjs', 'deploy/healthcheck.mjs', 'deploy/Dockerfile.dockerignore']) {
      expect(existsSync(join(ROOT, path))).toBe(true);
    }
  });
});

describe('deploy/web.Dockerfile (the web app on nginx)', () => {
  const image = recipe('deploy/web.Dockerfile');

  it('builds with Node and serves with an unprivileged nginx', () => {
    expect(image.stages.map((stage) => [stage.name, stage.from])).toEqual([
      ['build', '${NODE_IMAGE}'],
      ['runtime', '${NGINX_IMAGE}'],
    ]);
    expect(image.preamble.map((item) => item.args)).toContain('NGINX_IMAGE=nginxinc/nginx-unprivileged:1.28-alpine');
  });

  it('follows the rules every image of the project follows', () => expectCommonRules(image));

  it('writes its nginx site from the built index.html and the template in the repository', () => {
    const run = image.all('build', 'RUN').map((item) => item.args);
    const conf = run.find((args) => args.startsWith('node deploy/web/nginx-conf.mjs'));
    expect(conf.split(' ').slice(2, 4)).toEqual([
      'apps/web/dist/browser/index.html',
      'deploy/web/default.conf.template',
    ]);
    expect(existsSync(join(ROOT, 'deploy/web/default.conf.template'))).toBe(true);
    expect(image.final.instructions.find((item) => item.instruction === 'EXPOSE').args).toBe('8080');
  });
});

describe('the build contexts', () => {
  it.each(['deploy/Dockerfile.dockerignore', 'deploy/web.Dockerfile.dockerignore'])(
    '%s leaves out installed and built files and the secrets file',
    (path) => {
      const patterns = read(path)
        .split('\n')
        .filter((line) => line && !line.startsWith('#'));
      for (const pattern of ['**/node_modules', '**/dist', '.git', '.nx', 'deploy/.env'])
        expect(patterns).toContain(pattern);
    },
  );
});
