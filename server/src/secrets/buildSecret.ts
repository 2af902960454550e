import { planSecretMount, type DockerProperty } from '../core/edit/buildkit';
import type { DockerInstruction, DockerStage, ParsedDockerfile } from '../core/parse/dockerfile';
import type { RuleContext } from '../core/rule';
import type { FileRequest, Fix } from '../core/types';
import { ignoreRequests, ROTATE, secretId } from './files';
import { literalRegion } from './values';

export const buildSecretTitle = (name: string, id: string, file: string | null, runtimeEnv: boolean) =>
  `Move ${name} to a build secret (RUN --mount=type=secret,id=${id},env=${name}${file ? `; value written to ${file}, git- and docker-ignored; build with --secret id=${id},src=${file}` : `; build with --secret id=${id},env=${name}`}${runtimeEnv ? `; containers no longer get ${name} at run time` : ''}); ${ROTATE}`;

/**
 * The build-secret fix for an ENV or ARG that RUN reads at build time (shared with
 * no-secrets-in-build-args): the value goes to `.secrets/<id>` (when there is one).
 */
export function buildSecretFix(ctx: RuleContext, df: ParsedDockerfile, decl: { ins: DockerInstruction; prop: DockerProperty; stage: DockerStage | null }): Fix[] {
  const { prop } = decl;
  let value: string | null = null;
  if (prop.value !== null) {
    const region = literalRegion(prop.value);
    if (!region) return [];
    value = prop.value.slice(region.start, region.end);
    if (region.start > 0 && !/^\$\{[A-Za-z_][A-Za-z0-9_]*:?-$/.test(prop.value.slice(0, region.start))) return [];
    if (/\$/.test(value)) return [];
  }
  const ws = ctx.file.workspace;
  let id = secretId(prop.name);
  if (value !== null) {
    for (let n = 2; n < 10; n++) {
      const have = ws?.read(`.secrets/${id}`);
      if (have === undefined || have === value) break;
      id = `${secretId(prop.name)}_${n}`;
    }
  }
  const plan = planSecretMount(df, decl, id);
  if (!plan) return [];
  const chain = ctx.file.dockerfile?.chain ?? [];
  const runtimeEnv = decl.ins.keyword === 'ENV' && decl.stage !== null && chain.includes(decl.stage);
  const file = value !== null ? `.secrets/${id}` : null;
  const files: FileRequest[] = file ? [{ path: file, kind: 'create', text: value! }, ...ignoreRequests(ws, ctx.file.path, '.secrets/', true)] : [];
  return [{
    title: buildSecretTitle(prop.name, id, file, runtimeEnv),
    preferred: false,
    edits: plan.edits,
    ...(files.length ? { files } : {}),
  }];
}
