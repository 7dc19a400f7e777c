// xterm.js's DOM renderer writes its computed CSS (cell size, theme colours, font) into
// <style> elements it creates. The app's Content-Security-Policy (style-src 'self', no
// 'unsafe-inline') rightly blocks inline <style>, which would leave the terminal unstyled
// (xtermjs/xterm.js#4445). Rather than weaken the policy, a <style> created by script gets
// an inert stand-in whose text goes into a constructed stylesheet adopted by the document
// (constructed stylesheets are not inline markup, and only this code makes them). xterm.js
// only ever sets `textContent` and calls `remove()` on those elements, which the stand-in
// supports. The CSS itself is xterm's own, computed from our options, never host data.
let installed = false;

export function installAdoptedStyles(doc: Document = document): void {
  if (installed) return;
  installed = true;
  const original = doc.createElement.bind(doc) as (tag: string, options?: ElementCreationOptions) => HTMLElement;
  const patched = (tag: string, options?: ElementCreationOptions): HTMLElement => {
    if (String(tag).toLowerCase() !== 'style') return original(tag, options);
    const el = original('template'); // never rendered, never applied
    el.dataset['adoptedStyle'] = '';
    const sheet = new CSSStyleSheet();
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    let text = '';
    Object.defineProperty(el, 'textContent', {
      get: () => text,
      set: (v: unknown) => {
        text = v == null ? '' : String(v);
        sheet.replaceSync(text);
      },
    });
    const remove = el.remove.bind(el);
    el.remove = () => {
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
      remove();
    };
    return el;
  };
  doc.createElement = patched as Document['createElement'];
}
