// Print the text pdf.js reads from a PDF, page by page, as JSON: each page a list of
// {mcid, text} for the text items inside each marked-content sequence with an MCID.
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { readFileSync } from "node:fs";

const data = new Uint8Array(readFileSync(process.argv[2]));
const pdf = await getDocument({ data, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const page = await pdf.getPage(n);
  const content = await page.getTextContent({ includeMarkedContent: true });
  const out = [];
  const stack = [];
  for (const item of content.items) {
    if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") {
      stack.push(item.id ?? null);
    } else if (item.type === "endMarkedContent") {
      stack.pop();
    } else if (item.str !== undefined) {
      const mcid = stack.filter((id) => id !== null).at(-1) ?? null;
      out.push({ mcid, text: item.str, eol: item.hasEOL });
    }
  }
  pages.push(out);
}
console.log(JSON.stringify(pages));
