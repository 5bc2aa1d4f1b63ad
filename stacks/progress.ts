// Moved to app/progress.ts (issue #15); this re-export goes once every importer is switched.
export * from '../app/progress';
