import { addSourceKind } from '../../core/model/fromDockerfile';
import { expand, memoizedInScope, type Scope } from '../../core/model/dockerVars';
import { replaceKeyword } from '../../core/edit/dockerfile';
import { instructionWords, type DockerInstruction, type ParsedDockerfile } from '../../core/parse/dockerfile';
import type { Rule } from '../../core/rule';

export const messages = {
  local: (source: string) => `ADD of the local '${source}': COPY does the same without ADD's URL downloads and archive extraction`,
  variable: (source: string) =>
    `ADD of '${source}', a build argument that names a local file unless a URL or an archive is passed: COPY does the same without ADD's extras`,
  fixTitle: () => 'Use COPY instead of ADD',
  fixTitleVariable: (source: string) => `Use COPY instead of ADD (if '${source}' is never a URL or an archive to unpack)`,
};

/** Flags COPY understands too; any other (`--checksum`, `--keep-git-dir`, `--unpack`) is there for ADD's own features. */
const COPY_FLAGS = new Set(['chown', 'chmod', 'link', 'exclude', 'parents']);
/** ADD unpacks local tar archives (plain or compressed) by their content; these names say "archive". */
const ARCHIVE = /\.(tar|tgz|taz|tbz2?|tb2|txz|tlz|tzst|tz|gz|bz2|xz|lz|lzma|zst|z)$/i;
/** A variable whose name says it holds a URL. */
const URL_VARIABLE = /URL|URI|LINK|HREF|REPO|GIT|REMOTE|DOWNLOAD/i;

export const rule: Rule = {
  meta: {
    id: 'prefer-copy-over-add',
    title: 'ADD is used where COPY does the job',
    severity: 'info',
    platforms: ['dockerfile'],
    fixable: true,
    peers: {
      hadolint: ['DL3020'],
      trivy: ['DS005'],
      checkov: ['CKV_DOCKER_4'],
      kics: ['9513a694-aa0d-41d8-be61-3271e056f36b'],
    },
  },
  check({ file, report }) {
    const df = file.dockerfile?.parsed;
    if (!df) return;
    for (const stage of df.stages) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'ADD') continue;
        // depends on the instruction's text and the variables it reads: kept across edits
        const found = memoizedInScope(df, stage, ins, 'prefer-copy-over-add', '', (scope, globals) => localSources(df, ins, scope, globals), (v) => v);
        if (!found) continue;
        const { variable, first } = found;
        report({
          start: ins.keywordSpan.start,
          end: ins.keywordSpan.end,
          message: variable ? messages.variable(variable) : messages.local(first),
          fixes: () => [{ title: variable ? messages.fixTitleVariable(variable) : messages.fixTitle(), preferred: variable === null, edits: [replaceKeyword(ins, 'COPY')] }],
        });
      }
    }
  },
};

/** Whether an ADD only copies local files (null: it does more), the first source and the variable a source is read from. */
function localSources(df: ParsedDockerfile, ins: DockerInstruction, scope: Scope, globals: Scope): { variable: string | null; first: string } | null {
  if (ins.flags.some((f) => !COPY_FLAGS.has(f.name.toLowerCase()))) return null;
  const { words } = instructionWords(df, ins);
  if (words.length < 2) return null;
  let variable: string | null = null;
  for (const src of words.slice(0, -1)) {
    const x = expand(src.value, scope, globals, df.escape);
    if (src.value.startsWith('<<')) return null;
    else if (x.unknown) {
      const names = src.value.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
      if (names.some((n) => URL_VARIABLE.test(n))) return null;
      else variable ??= src.value;
    } else if (addSourceKind(x.value) !== 'local' || ARCHIVE.test(x.value)) return null;
  }
  return { variable, first: words[0].value };
}
