// The diagram as a one-page PDF: rendered like the PNG, its pixels (transparent parts on
// white) deflated with the browser's CompressionStream and wrapped by shared/export/pdf.ts.
// The page has the diagram's size (CSS pixels at 96 per inch -> points at 72).
import { imagePdf } from '../../../shared/export/pdf';
import { svgToCanvas } from './png';

async function deflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function svgToPdf(svg: string, width: number, height: number, title: string, scale = 2): Promise<Uint8Array> {
  const canvas = await svgToCanvas(svg, width, height, scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const rgb = new Uint8Array(canvas.width * canvas.height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    const a = rgba[i + 3]! / 255;
    rgb[j] = Math.round(rgba[i]! * a + 255 * (1 - a));
    rgb[j + 1] = Math.round(rgba[i + 1]! * a + 255 * (1 - a));
    rgb[j + 2] = Math.round(rgba[i + 2]! * a + 255 * (1 - a));
  }
  return imagePdf({ width: canvas.width, height: canvas.height, deflated: await deflate(rgb), pageWidth: width * 0.75, pageHeight: height * 0.75, title });
}
