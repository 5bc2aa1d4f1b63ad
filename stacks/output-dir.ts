// Moved to app/output-dir.ts (issue #15); this re-export goes once every importer is switched.
export * from '../app/output-dir';
