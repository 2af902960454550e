import type { DockerInstruction, DockerStage } from '../../core/parse/dockerfile';
import { memoizedValue } from '../../core/parse/dockerMemo';
import type { Rule, RuleContext } from '../../core/rule';
import { buildSecretFix, looksLikeToken, safeName, secretName } from '../../secrets';

const shown = (name: string) => safeName(name, looksLikeToken);

export const messages = {
  dockerfile: (name: string) => `Build arg ${name} looks like a secret: build args are recorded in the image history and provenance (use a secret mount)`,
  compose: (name: string, service: string) => `Build arg ${name} of service '${service}' looks like a secret: build args are recorded in the image history and provenance (use build secrets)`,
};

/**
 * A secret-looking build arg, with or without a value: whatever is passed to it is kept in
 * the image's history (`docker history`) and in provenance attestations.
 */
export const rule: Rule = {
  meta: {
    id: 'no-secrets-in-build-args',
    title: 'A build arg looks like it carries a secret',
    severity: 'warning',
    platforms: ['dockerfile', 'compose'],
    fixable: true,
    peers: { other: ['SecretsUsedInArgOrEnv'] },
  },
  check(ctx) {
    if (ctx.file.kind === 'dockerfile') checkDockerfile(ctx);
    else if (ctx.file.kind === 'compose') checkCompose(ctx);
  },
};

/** Strong names only without a value (`ARG KEY` alone says too little); a weak name with a random-looking default counts through no-hardcoded-secrets. */
function secretArg(name: string): boolean {
  return secretName(name)?.strength === 'strong';
}

function checkDockerfile(ctx: RuleContext): void {
  const df = ctx.file.dockerfile?.parsed;
  if (!df) return;
  const all: [DockerInstruction, DockerStage | null][] = [
    ...df.globalArgs.map((i) => [i, null] as [DockerInstruction, null]),
    ...df.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'ARG').map((i) => [i, s] as [DockerInstruction, DockerStage])),
  ];
  const globals = new Set(df.globalArgs.flatMap((i) => i.properties.map((p) => p.name)));
  for (const [ins, stage] of all) {
    // which names look like secrets, per instruction text: kept across edits
    for (const n of memoizedValue(df, ins, 'no-secrets-in-build-args', '', () => ins.properties.flatMap((p, k) => (secretArg(p.name) ? [k] : [])))) {
      const prop = ins.properties[n];
      // a stage's bare `ARG NAME` that only brings a global one into scope is reported there
      if (stage && prop.value === null && globals.has(prop.name)) continue;
      ctx.report({ ...prop.nameSpan, message: messages.dockerfile(shown(prop.name)), fixes: () => buildSecretFix(ctx, df, { ins, prop, stage }) });
    }
  }
}

/** `build.args` names (map keys, list items with or without `=value`, merged ones too), each reported once. */
function checkCompose(ctx: RuleContext): void {
  const seen = new Set<number>();
  for (const spec of ctx.file.compose?.containers ?? []) {
    for (const f of spec.strings) {
      if (f.site !== 'build-arg' || f.name === undefined || !f.nameSpan || seen.has(f.nameSpan.start)) continue;
      seen.add(f.nameSpan.start);
      if (secretArg(f.name)) ctx.report({ ...f.nameSpan, message: messages.compose(shown(f.name), spec.name) });
    }
  }
}
