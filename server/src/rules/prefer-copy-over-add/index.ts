import { addSourceKind } from '../../core/model/fromDockerfile';
import { expand, globalScope, stageScope } from '../../core/model/dockerVars';
import { replaceKeyword } from '../../core/edit/dockerfile';
import { instructionWords } from '../../core/parse/dockerfile';
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
        if (ins.flags.some((f) => !COPY_FLAGS.has(f.name.toLowerCase()))) continue;
        const { words } = instructionWords(df, ins);
        if (words.length < 2) continue;
        const scope = stageScope(df, stage, ins);
        const globals = globalScope(df);
        let variable: string | null = null;
        let local = true;
        for (const src of words.slice(0, -1)) {
          const x = expand(src.value, scope, globals, df.escape);
          if (src.value.startsWith('<<')) local = false;
          else if (x.unknown) {
            const names = src.value.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
            if (names.some((n) => URL_VARIABLE.test(n))) local = false;
            else variable ??= src.value;
          } else if (addSourceKind(x.value) !== 'local' || ARCHIVE.test(x.value)) local = false;
        }
        if (!local) continue;
        const first = words[0].value;
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
