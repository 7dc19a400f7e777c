export const WIREPLAN_VERSION = '0.1.0';
