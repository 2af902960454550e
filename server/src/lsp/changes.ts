/**
 * Whether an open document's text matches a one-line pattern (a manifest holding a
 * ServiceAccount or LimitRange), kept up to date per keystroke without scanning the whole
 * text: when it did not match before and one incremental change came, only the lines that
 * change touches can make it match now.
 */
import { TextDocumentContentChangeEvent, type TextDocumentsConfiguration } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';

export class LineMatch {
  /** How often the whole text was scanned, and how often only changed lines (for tests). */
  readonly stats = { whole: 0, lines: 0 };
  private readonly changes = new Map<string, TextDocumentContentChangeEvent[]>();
  private readonly matched = new Map<string, boolean>();

  /** @param pattern matches within one line only (no line breaks in what it matches). */
  constructor(private readonly pattern: RegExp) {}

  /** For `new TextDocuments(...)`: documents as usual, each change noted for `test`. */
  readonly documents: TextDocumentsConfiguration<TextDocument> = {
    create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
    update: (doc, changes, version) => {
      this.changes.set(doc.uri, changes);
      return TextDocument.update(doc, changes, version);
    },
  };

  /** Whether the document's current text matches. */
  test(doc: TextDocument): boolean {
    const changes = this.changes.get(doc.uri);
    this.changes.delete(doc.uri);
    const text = doc.getText();
    const change = changes?.length === 1 ? changes[0] : undefined;
    let now: boolean;
    if (this.matched.get(doc.uri) === false && change && TextDocumentContentChangeEvent.isIncremental(change)) {
      // the lines before the change are as they were; from the start of its first line to the
      // end of the line its new text ends on (the position may lie past the old line's end:
      // the offset found in the new text is then at or after the real start, never before)
      const from = doc.offsetAt({ line: change.range.start.line, character: 0 });
      const end = doc.offsetAt(change.range.start) + change.text.length;
      const nl = text.indexOf('\n', end);
      this.stats.lines++;
      now = this.pattern.test(text.slice(from, nl < 0 ? text.length : nl));
    } else {
      this.stats.whole++;
      now = this.pattern.test(text);
    }
    this.matched.set(doc.uri, now);
    return now;
  }

  forget(uri: string): void {
    this.changes.delete(uri);
    this.matched.delete(uri);
  }
}
