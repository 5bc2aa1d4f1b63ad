/**
 * The writers of compliance findings: the console line (synth, verify, tenant-new), the Markdown table of the
 * reports and the JSON array (the engine's). Markdown cells escape config text, so a name or a reason cannot forge
 * a heading, a table row, a link or markup in a report an agency signs.
 */
import * as path from 'node:path';
import type { Federation } from '../../../config/model';
import type { EngineFinding, FindingWriter } from '../../engine';
import { LEVEL_LABELS } from '../../report/german';
import { COMPLIANCE_PACK } from './index';

/**
 * Config text inside Markdown: one line (line breaks collapsed), Markdown and HTML syntax escaped, so a name or a
 * reason cannot forge a heading, a table row, a link or markup in a report an agency signs.
 */
export const cell = (s: string | number) =>
  String(s)
    .replace(/\s+/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);

/** A Markdown table: head, separator, one line per row (cells as given). */
export const markdownTable = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => [
  `| ${head.join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

const TITLES = new Map(COMPLIANCE_PACK.map((u) => [u.id, u.explanation]));

/** Findings as the lines of a Markdown table: rule, its requirement, level (German), message. */
function findingsTableLines(findings: readonly EngineFinding[]): string[] {
  return markdownTable(
    ['Regel', 'Anforderung', 'Stufe', 'Befund'],
    findings.map((f) => [f.rule, cell(TITLES.get(f.rule) ?? ''), LEVEL_LABELS[f.level], cell(f.message)]),
  );
}

/** The Markdown writer: the findings table of the reports. */
export const markdownWriter: FindingWriter = (findings) => `${findingsTableLines(findings).join('\n')}\n`;

/** `file:line: ` of the config entry a finding is about (the agency's entry), when the model can locate it. */
function findingLocation(f: EngineFinding, federation?: Federation): string {
  if (!federation?.locate || !f.tenant) return '';
  const index = federation.config.tenants.findIndex((t) => t.id === f.tenant);
  const line = index >= 0 ? federation.locate(['tenants', index]).line : undefined;
  if (!line) return '';
  const file = path.relative(process.cwd(), federation.sourceFile) || federation.sourceFile;
  return `${file.startsWith('..') ? federation.sourceFile : file}:${line}: `;
}

/**
 * One console line: `file:line: [RULE] level (tenant t, stack resource): message`, the location of the agency's
 * config entry when the model can name it.
 */
export function formatComplianceFinding(f: EngineFinding, federation?: Federation): string {
  const where = [f.tenant && `tenant ${f.tenant}`, f.stack && f.resource ? `${f.stack} ${f.resource}` : f.stack]
    .filter(Boolean)
    .join(', ');
  return `${findingLocation(f, federation)}[${f.rule}] ${f.level}${where ? ` (${where})` : ''}: ${f.message}`;
}

/**
 * The console writer: one {@link formatComplianceFinding} line per finding, each after `prefix` (synth's warnings
 * `WARNING `, an error's list `  `).
 */
export const complianceConsoleWriter =
  (federation?: Federation, prefix = ''): FindingWriter =>
  (findings) =>
    findings.map((f) => `${prefix}${formatComplianceFinding(f, federation)}\n`).join('');
