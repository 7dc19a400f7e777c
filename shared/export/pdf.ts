// A minimal PDF writer for the diagram export: one page holding one RGB image (the
// rendered diagram), scaled to the page. Chromium's print-to-PDF is not reachable from a
// page, and a PDF library would be a large dependency for one image; the format needs
// only a catalog, a page, a content stream drawing the image, the image XObject
// (8-bit DeviceRGB, zlib-compressed: FlateDecode) and the cross-reference table.
// Pure: the caller compresses the pixels (CompressionStream('deflate') in the browser).

export interface PdfImage {
  /** Pixels across and down. */
  width: number;
  height: number;
  /** width*height*3 bytes of RGB, compressed in zlib format (RFC 1950). */
  deflated: Uint8Array;
  /** Page size in points (1/72 inch); the image fills it. */
  pageWidth: number;
  pageHeight: number;
  title?: string;
}

/** A PDF literal string: parentheses and backslashes escaped, non-ASCII and controls as octal. */
function pdfString(s: string): string {
  let out = '(';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (c < 0x20 || c > 0x7e) out += c <= 0xff ? `\\${c.toString(8).padStart(3, '0')}` : '?';
    else out += ch;
  }
  return `${out})`;
}

const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(3));

export function imagePdf(img: PdfImage): Uint8Array {
  if (!(Number.isInteger(img.width) && Number.isInteger(img.height) && img.width > 0 && img.height > 0)) throw new Error(`bad image size ${img.width}x${img.height}`);
  if (!(img.pageWidth > 0 && img.pageHeight > 0)) throw new Error(`bad page size ${img.pageWidth}x${img.pageHeight}`);
  // Everything but the image data is ASCII (pdfString escapes the rest).
  const ascii = (t: string): Uint8Array => Uint8Array.from(t, (ch) => ch.charCodeAt(0) & 0x7f);
  const chunks: Uint8Array[] = [];
  let length = 0;
  const offsets: number[] = [];
  const put = (b: Uint8Array | string) => {
    const bytes = typeof b === 'string' ? ascii(b) : b;
    chunks.push(bytes);
    length += bytes.length;
  };
  const obj = (n: number, body: () => void) => {
    offsets[n] = length;
    put(`${n} 0 obj\n`);
    body();
    put('\nendobj\n');
  };
  const content = `q ${num(img.pageWidth)} 0 0 ${num(img.pageHeight)} 0 0 cm /Im0 Do Q`;
  put('%PDF-1.4\n');
  obj(1, () => put('<< /Type /Catalog /Pages 2 0 R >>'));
  obj(2, () => put('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'));
  obj(3, () => put(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(img.pageWidth)} ${num(img.pageHeight)}] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>`));
  obj(4, () => put(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`));
  obj(5, () => {
    put(`<< /Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length ${img.deflated.length} >>\nstream\n`);
    put(img.deflated);
    put('\nendstream');
  });
  obj(6, () => put(`<< /Producer (Wireplan)${img.title !== undefined ? ` /Title ${pdfString(img.title)}` : ''} >>`));
  const xref = length;
  put(`xref\n0 7\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`);
  put(`trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
