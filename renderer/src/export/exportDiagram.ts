// Export the diagram as SVG, PNG or PDF through the API's exportFile.
import { exportFile } from '../app/fileActions';
import { useEditor } from '../store/designStore';
import { diagramSvg } from './diagramSvg';
import { svgToPdf } from './pdf';
import { svgToPng } from './png';

export async function exportDiagram(format: 'svg' | 'png' | 'pdf'): Promise<void> {
  const s = useEditor.getState();
  const { svg, width, height } = diagramSvg(s.design);
  const base = s.design.tag || 'design';
  try {
    const r =
      format === 'svg'
        ? await exportFile({ suggestedName: `${base}.svg`, data: svg, mimeType: 'image/svg+xml' })
        : format === 'png'
          ? await exportFile({ suggestedName: `${base}.png`, data: await svgToPng(svg, width, height), mimeType: 'image/png' })
          : await exportFile({ suggestedName: `${base}.pdf`, data: await svgToPdf(svg, width, height, s.design.name), mimeType: 'application/pdf' });
    if (r.ok) s.toast('info', `Exported ${r.path}`);
    else if (!r.canceled) s.toast('error', r.error);
  } catch (e) {
    s.toast('error', `Export failed: ${(e as Error).message}`);
  }
}
