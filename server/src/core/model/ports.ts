import type { Span } from '../text';
import type { PortFact } from './container';

/**
 * Parses a port as written in EXPOSE, Compose `expose:` or the container side of a Compose
 * `ports:` short-syntax entry: `80`, `80/udp`, `8000-8010`, `127.0.0.1:8080:80/tcp`.
 * `span` covers the text given; the result's span covers only the container port.
 */
export function parsePortSpec(text: string, span: Span, source: PortFact['source'], hostSide: boolean): PortFact | null {
  let t = text.trim();
  let offset = span.start + (text.length - text.trimStart().length);
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) {
    t = t.slice(1, -1);
    offset++;
  }
  let protocol = 'tcp';
  const slash = t.lastIndexOf('/');
  if (slash >= 0) {
    protocol = t.slice(slash + 1).toLowerCase();
    t = t.slice(0, slash);
  }
  if (hostSide) {
    // the container port is the last ':'-separated part (IPv6 host addresses are bracketed)
    const colon = t.lastIndexOf(':');
    if (colon >= 0) {
      offset += colon + 1;
      t = t.slice(colon + 1);
    }
  }
  if (!t) return null;
  const m = /^(\d+)(?:-(\d+))?$/.exec(t);
  const port = m ? Number(m[1]) : null;
  const portEnd = m ? Number(m[2] ?? m[1]) : null;
  return { port, portEnd, protocol, span: { start: offset, end: offset + t.length }, source };
}
