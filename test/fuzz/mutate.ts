/**
 * Mutations applied to a generated file: what editors, other tools and attackers do to real
 * files. Truncation (a file being typed), CRLF and mixed line ends, a BOM, tabs, Helm
 * templates, long lines, binary junk, alias bombs, duplicated, dropped and re-indented lines,
 * an unterminated heredoc or line continuation at the end of a Dockerfile.
 */
import fc from 'fast-check';
import { heldBack } from './flags';

export type MutationKind =
  | 'crlf' | 'mixed-eol' | 'bom' | 'tab' | 'truncate' | 'helm' | 'long-line' | 'junk' | 'alias-bomb' | 'many-aliases'
  | 'dup-line' | 'drop-line' | 'indent-shift' | 'open-heredoc' | 'open-continuation';

export interface Mutation {
  kind: MutationKind;
  at: number;
  n: number;
  junk: string;
}

const YAML_ONLY: MutationKind[] = ['alias-bomb', 'many-aliases'];
const DOCKERFILE_ONLY: MutationKind[] = ['open-heredoc', 'open-continuation'];

const NASTY = ['\0', '\x1b[31m', '\ud800', '\udc00', '\u2028', '\u0085', '\ufeff', '\r', '\x7f', '\x0b', '\x0c', '\t', '😀', '\\', '"', "'", '{{', '}}', ': ', ' #', '&', '*', '|', '>', '%', '@', '`', '\n---\n', '\n...\n'];

const junkArb = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.array(fc.constantFrom(...NASTY), { minLength: 2, maxLength: 4 }).map((xs) => xs.join('')),
);

/** One mutation; `kinds` limits which ones this platform gets. */
export const mutationArb = (kinds: MutationKind[]) =>
  fc.record({ kind: fc.constantFrom(...kinds), at: fc.nat(1_000_000), n: fc.nat(1_000_000), junk: junkArb });

/** Zero to three mutations for a platform, most cases getting none or one. */
export function mutationsArb(platform: 'dockerfile' | 'yaml'): fc.Arbitrary<Mutation[]> {
  const all: MutationKind[] = ['crlf', 'mixed-eol', 'bom', 'tab', 'truncate', 'helm', 'long-line', 'junk', 'alias-bomb', 'many-aliases', 'dup-line', 'drop-line', 'indent-shift', 'open-heredoc', 'open-continuation'];
  const kinds = all.filter((k) => (platform === 'dockerfile' ? !YAML_ONLY.includes(k) : !DOCKERFILE_ONLY.includes(k)));
  return fc.oneof({ weight: 4, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 5, arbitrary: fc.array(mutationArb(kinds), { minLength: 1, maxLength: 3 }) });
}

const splitLines = (text: string) => text.split(/(?<=\n)/);

/** Applies one mutation; features held back by a known-defect flag leave the text alone. */
export function mutate(text: string, m: Mutation, platform: 'dockerfile' | 'yaml'): string {
  const lines = splitLines(text);
  const li = lines.length ? m.at % lines.length : 0;
  switch (m.kind) {
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'mixed-eol': {
      if (!lines.length) return text;
      const l = lines[li];
      lines[li] = l.endsWith('\r\n') ? l : l.endsWith('\n') ? `${l.slice(0, -1)}${m.n % 3 === 0 && !heldBack('FOUND_LONE_CR_EDIT_BEFORE_CR') ? '\r' : '\r\n'}` : l;
      return lines.join('');
    }
    case 'bom':
      return text.startsWith('\ufeff') ? text : `\ufeff${text}`;
    case 'tab': {
      if (!lines.length) return text;
      const l = lines[li];
      if (m.n % 2 === 0) lines[li] = l.replace(/^( +)/, (s) => '\t'.repeat(Math.max(1, Math.floor(s.length / 2))));
      else lines[li] = l.replace(/: /, ':\t');
      return lines.join('');
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'helm': {
      const v = m.n % 4;
      if (v === 0) return `{{- if .Values.enabled }}\n${text}${text.endsWith('\n') ? '' : '\n'}{{- end }}\n`;
      if (!lines.length) return text;
      if (v === 1) {
        lines[li] = lines[li].replace(/: .*?(\r?\n)?$/, (_s, eol: string | undefined) => `: {{ .Values.value${li} | quote }}${eol ?? ''}`);
        return lines.join('');
      }
      if (v === 2) {
        const indent = /^[ \t]*/.exec(lines[li])![0];
        lines.splice(li, 0, `${indent}{{- include "chart.labels" . | nindent ${indent.length} }}\n`);
        return lines.join('');
      }
      lines[li] = lines[li].replace(/([A-Za-z0-9_.-]+)(\r?\n)?$/, (_s, w: string, eol: string | undefined) => `{{ .Values.${w.replace(/[^A-Za-z0-9_]/g, '')} }}${eol ?? ''}`);
      return lines.join('');
    }
    case 'long-line': {
      if (!lines.length) return text;
      const long = 'A1b2C3d4'.repeat(heldBack('ISSUE11_ITEM2_MESSAGE_HYGIENE') ? 10 + (m.n % 90) : 250 + (m.n % 2250));
      lines[li] = lines[li].replace(/(\r?\n)?$/, (eol: string) => `${long}${eol}`);
      return lines.join('');
    }
    case 'junk': {
      const at = m.at % (text.length + 1);
      const junk = heldBack('ISSUE11_ITEM2_MESSAGE_HYGIENE') ? m.junk.replace(/[\x01-\x08\x0b-\x1f\x7f-\x9f]/g, '') : m.junk;
      return text.slice(0, at) + junk + text.slice(at);
    }
    case 'alias-bomb': {
      if (platform !== 'yaml') return text;
      const width = 2 + (m.n % 5);
      const depth = 2 + (m.at % 5);
      let bomb = `x-bomb0: &b0 [${Array(width).fill('lol').join(', ')}]\n`;
      for (let d = 1; d <= depth; d++) bomb += `x-bomb${d}: &b${d} [${Array(width).fill(`*b${d - 1}`).join(', ')}]\n`;
      bomb += `x-merge0: &m0 {a: 1, b: 2}\nx-merge1: &m1 {<<: [*m0, *m0], c: 3}\nx-merge2: {<<: [*m1, *m1, *m0]}\nx-use: *b${depth}\n`;
      return insertAtDocStart(text, bomb);
    }
    case 'many-aliases': {
      if (platform !== 'yaml') return text;
      const n = 50 + (m.n % 450);
      return insertAtDocStart(text, `x-a: &a value\nx-many: [${Array(n).fill('*a').join(', ')}]\n`);
    }
    case 'dup-line': {
      if (!lines.length) return text;
      const to = m.n % lines.length;
      const l = lines[li].endsWith('\n') ? lines[li] : `${lines[li]}\n`;
      lines.splice(to, 0, l);
      return lines.join('');
    }
    case 'drop-line': {
      if (!lines.length) return text;
      lines.splice(li, 1);
      return lines.join('');
    }
    case 'indent-shift': {
      if (!lines.length) return text;
      lines[li] = m.n % 2 === 0 ? ` ${lines[li]}` : lines[li].replace(/^ /, '');
      return lines.join('');
    }
    case 'open-heredoc':
      if (platform !== 'dockerfile' || heldBack('ISSUE11_ITEM4_FIXALL_NEVER_ENDS')) return text;
      return `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}RUN <<EOF\napk add curl\n`;
    case 'open-continuation':
      if (platform !== 'dockerfile' || heldBack('ISSUE11_ITEM4_FIXALL_NEVER_ENDS')) return text;
      return `${text.replace(/\n+$/, '')} \\\n`;
  }
}

/** Puts YAML lines at the start of the first document (after a leading `---` or comments). */
function insertAtDocStart(text: string, block: string): string {
  const m = /^(?:\ufeff)?(?:(?:#[^\n]*|---[ \t]*)\r?\n)*/.exec(text);
  const at = m ? m[0].length : 0;
  if (text.trimStart().startsWith('{')) return text;
  return text.slice(0, at) + block + text.slice(at);
}
