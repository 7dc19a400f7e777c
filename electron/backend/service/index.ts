// The backend service behind the API contract, shared by the desktop shell and `wireplan serve`.
export { BackendService, type ApiMethods, type BackendServiceOptions } from './service';
export { dispatch, isApiEvent, isApiMethod } from './dispatch';
export { headlessDialogs, freshPath, type Dialogs, type SaveKind } from './dialogs';
export { defaultConfigDir, repoResourcesDir, configFiles } from './paths';
export { NOT_AVAILABLE, type EngineContext, type EngineFactory, type Engines, type RunEngine, type RunJob, type LiveEngine, type RunProgressDraft } from './engines';
export { defaultEngines } from './defaultEngines';
export type { SecretCipher } from './secrets';
export { JsonFile } from './jsonFile';
