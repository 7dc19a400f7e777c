// Requests from the shell (native menus, a file opened from the OS or the command line)
// become the same actions the toolbar and the keyboard use.
import { useEffect } from 'react';
import { api } from '../api';
import { useEditor } from '../store/designStore';
import { newDesign, openFile } from './fileActions';

export function useAppRequests(actions: { autoLayout(): void }): void {
  useEffect(() => {
    if (!api.onAppRequest) return;
    return api.onAppRequest((request) => {
      const s = useEditor.getState();
      if (request.kind === 'open-file') return void openFile(request.path);
      switch (request.command) {
        case 'new':
          return newDesign();
        case 'open-example':
          return s.setDialog('examples');
        case 'open-recent':
          return s.setDialog('recent');
        case 'export-script':
          return s.setDialog('export');
        case 'help':
          return s.setDialog('help');
        case 'auto-layout':
          return actions.autoLayout();
      }
    });
  }, [actions]);
}
