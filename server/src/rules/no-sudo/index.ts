import { shellAt, userBefore, type UserAt } from '../../core/model/fromDockerfile';
import { wrapInstruction } from '../../core/edit/dockerfile';
import { runCommands, type DockerInstruction, type DockerStage, type ParsedDockerfile } from '../../core/parse/dockerfile';
import { memoized, moveSpan } from '../../core/parse/dockerMemo';
import type { Span } from '../../core/text';
import { baseName, forEachIn, programIndex, SHELLS, skipOptions, SUDO_ARG_OPTIONS, type Command } from '../../core/parse/shell';
import type { Rule } from '../../core/rule';
import type { Fix, TextEdit } from '../../core/types';

export const messages = {
  sudo: (program: string | null) =>
    `RUN ${program ? `runs '${program}' through sudo` : 'calls sudo'}: switch with USER root for the step instead (sudo in an image is a way back to root)`,
  removeTitle: () => 'Remove sudo (this step already runs as root)',
  wrapTitle: (user: string) => `Run this step as USER root without sudo, then switch back to USER ${user}`,
  guessTitle: () => 'Remove sudo (assumes the base image builds as root; otherwise put USER root before this step)',
};

/** sudo options that only change how sudo itself behaves, so dropping them with sudo keeps the command's meaning. */
const HARMLESS_SUDO_OPTIONS = /^(-[EHnSkPAB]+|--preserve-env(=.*)?|--set-home|--non-interactive|--stdin|--reset-timestamp|--preserve-groups|--askpass|--bell|--)$/;

interface SudoUse {
  /** The word `sudo`. */
  word: { span: Span };
  /** The program it runs, when it names one. */
  program: string | null;
  /** The edit that removes `sudo [options] ` before the command; null when that would change what runs. */
  removal: TextEdit | null;
}

/** The sudo calls of a RUN, unless its SHELL is not a POSIX shell. */
function sudoUses(df: ParsedDockerfile, ins: DockerInstruction, shell: string[] | null): SudoUse[] {
  const run = runCommands(df, ins);
  if (run.exec === null && shell && !SHELLS.has(baseName(shell[0]))) return [];
  const uses: SudoUse[] = [];
  forEachIn(run.commands, (cmd) => {
    const at = programIndex(cmd, false);
    if (at < 0 || baseName(cmd.words[at].value) !== 'sudo') return;
    const next = skipOptions(cmd.words, at + 1, SUDO_ARG_OPTIONS);
    uses.push({ word: { span: cmd.words[at].span }, program: next < cmd.words.length ? cmd.words[next].value : null, removal: removal(cmd, at) });
  });
  return uses;
}

const moveUses = (uses: SudoUse[], d: number): SudoUse[] =>
  uses.map((u) => ({ word: { span: moveSpan(u.word.span, d) }, program: u.program, removal: u.removal && moveSpan(u.removal, d) }));

export const rule: Rule = {
  meta: {
    id: 'no-sudo',
    title: 'A RUN instruction uses sudo',
    severity: 'warning',
    platforms: ['dockerfile'],
    fixable: true,
    linuxOnly: true,
    peers: {
      hadolint: ['DL3004'],
      trivy: ['DS010'],
      checkov: ['CKV2_DOCKER_1'],
      kics: ['8ada6e80-0ade-439e-b176-0b28f6bce35a'],
    },
  },
  check({ file, config, report }) {
    const df = file.dockerfile?.parsed;
    if (!df) return;
    // Every stage: sudo is wrong in any build step, and the fix is the same everywhere.
    for (const stage of df.stages) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'RUN') continue;
        const shell = shellAt(df, stage, ins);
        // where sudo is, per instruction text and shell: kept across edits
        const uses = memoized(df, ins, 'no-sudo', shell ? shell.join('\0') : '-', () => sudoUses(df, ins, shell), moveUses);
        if (uses.length === 0) continue;
        let fix: Fix | null | undefined;
        const fixes = () => {
          fix ??= fixFor(df, stage, ins, uses, config.nonRootImages);
          return fix ? [fix] : [];
        };
        for (const u of uses) {
          const { program, word: w } = u;
          report({ start: w.span.start, end: w.span.end, message: messages.sudo(program), fixes });
        }
      }
    }
  },
};

function removal(cmd: Command, at: number): TextEdit | null {
  const words = cmd.words;
  let i = at + 1;
  while (i < words.length && words[i].value.startsWith('-') && words[i].value !== '-') {
    if (!HARMLESS_SUDO_OPTIONS.test(words[i].value)) return null; // -u, -g, -i, -s ... change what runs
    i++;
    if (words[i - 1].value === '--') break;
  }
  if (i >= words.length) return null;
  return { start: words[at].span.start, end: words[i].span.start, text: '' };
}

function fixFor(df: Parameters<typeof userBefore>[0], stage: DockerStage, ins: DockerInstruction, uses: SudoUse[], nonRootImages: string[]): Fix | null {
  if (uses.some((u) => u.removal === null)) return null;
  const removals = uses.map((u) => u.removal!);
  const user: UserAt = userBefore(df, stage, ins, { nonRootImages });
  switch (user.state) {
    case 'root':
      return { title: messages.removeTitle(), preferred: true, edits: removals };
    case 'image-default':
      return { title: messages.guessTitle(), preferred: false, edits: removals };
    case 'known-nonroot-image':
      return null; // the image's own user is not known offline, so it cannot be restored
    default: {
      // Write the previous USER back as written when it means the same after the step, else its value.
      const back = user.written !== undefined && (user.sameScope || !user.written.includes('$')) ? user.written : user.resolved;
      if (back === undefined) return null;
      return { title: messages.wrapTitle(back), preferred: true, edits: [...wrapInstruction(df, ins, 'USER root', `USER ${back}`), ...removals] };
    }
  }
}
