// The text of a PDF the portal makes (printpdf: an embedded TrueType font,
// text as glyph ids in hex strings, a ToUnicode map), read as a person
// would read it, with Node's own zlib: enough to check what a printed
// sheet says without a PDF library.
import { inflateSync } from "node:zlib";

function streams(pdf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf("stream", at);
    if (start < 0) break;
    let body = start + "stream".length;
    if (pdf[body] === 0x0d) body++;
    if (pdf[body] === 0x0a) body++;
    const end = pdf.indexOf("endstream", body);
    if (end < 0) break;
    const raw = pdf.subarray(body, end);
    try {
      out.push(inflateSync(raw));
    } catch {
      out.push(raw);
    }
    at = end + "endstream".length;
  }
  return out;
}

export function pdfText(pdf: Buffer): string {
  const map = new Map<number, string>();
  const all = streams(pdf).map((s) => s.toString("latin1"));
  for (const s of all) {
    if (!s.includes("beginbfchar")) continue;
    for (const m of s.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      map.set(parseInt(m[1], 16), String.fromCodePoint(parseInt(m[2], 16)));
    }
  }
  const lines: string[] = [];
  for (const s of all) {
    for (const m of s.matchAll(/<([0-9a-fA-F]+)>\s*Tj/g)) {
      const hex = m[1];
      let line = "";
      for (let i = 0; i + 4 <= hex.length; i += 4) line += map.get(parseInt(hex.slice(i, i + 4), 16)) ?? "?";
      lines.push(line);
    }
  }
  return lines.join("\n");
}
