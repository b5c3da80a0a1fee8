// What Firefox gives a screen reader from a PDF, read with pdf.js's own API, as JSON (one line
// for each PDF named on the command line):
// the document's language, and for each page its structure tree (getStructTree: roles, /Lang,
// /Alt, and the marked content and annotations each element holds), its link annotations
// (getAnnotations: id, address or destination, rectangle) and its text layer
// (getTextContent with marked content: each text item with the marked content it sits in).
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { readFileSync } from "node:fs";

for (const file of process.argv.slice(2)) {
  const data = new Uint8Array(readFileSync(file));
  const pdf = await getDocument({ data, verbosity: 0 }).promise;
  const metadata = await pdf.getMetadata();
  const pages = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const tree = await page.getStructTree();
    const annotations = [];
    for (const a of await page.getAnnotations({ intent: "display" })) {
      if (a.subtype !== "Link") continue;
      // Where an internal link leads: the page of its destination (named or explicit).
      let dest = typeof a.dest === "string" ? await pdf.getDestination(a.dest) : a.dest;
      const destPage = Array.isArray(dest) ? await pdf.getPageIndex(dest[0]) : null;
      const destY = Array.isArray(dest) ? dest[3] ?? null : null;
      annotations.push({ id: a.id, url: a.url ?? null, destPage, destY, rect: a.rect, contents: a.contentsObj?.str ?? null });
    }
    const content = await page.getTextContent({ includeMarkedContent: true });
    const text = [];
    const stack = [];
    for (const item of content.items) {
      if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") {
        stack.push(item.id ?? null);
      } else if (item.type === "endMarkedContent") {
        stack.pop();
      } else if (item.str !== undefined) {
        const id = stack.filter((id) => id !== null).at(-1) ?? null;
        text.push({ id, str: item.str, eol: item.hasEOL });
      }
    }
    pages.push({ tree, annotations, text });
  }
  console.log(JSON.stringify({ lang: metadata.info.Language ?? null, pages }));
    await pdf.destroy();
}
