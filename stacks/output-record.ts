// Moved to app/output-record.ts (issue #15); this re-export goes once every importer is switched.
export * from '../app/output-record';
