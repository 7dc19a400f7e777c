// What the renderer exposes to tests (see renderer/src/main.tsx), as seen from a spec.
export {};
declare global {
  interface Window {
    __wireplan?: {
      serialized(): string;
      editor: { getState(): { selection: string[]; design: unknown } };
    };
  }
}
