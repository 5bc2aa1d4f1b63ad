/**
 * `npm run verify -- --render`: renders every Helm release of an output with the real Helm against a chart mirror,
 * runs the checks on the rendered objects and returns the reports `reports/render.md` and `.json` (the pipeline,
 * app/verify.ts, writes them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { providerAlias } from '../facts';
import type { SynthesizedStack } from '../k8s-objects';
import { checkRendered, formatRenderFinding, type RenderFinding } from './checks';
import { helmBinary, HelmUnavailableError, HELM_VERSION } from './helm';
import { DEFAULT_KUBE_VERSION, kubeVersionsOf, releasesOf, renderReleases, type RenderResult } from './render';

export interface RenderStageOptions {
  readonly mirror: string;
  /** `chart@version` whose absence from the mirror is known and accepted (reported, not an error). */
  readonly missingOk: readonly string[];
  /** Where rendered releases are cached. */
  readonly cacheDir?: string;
}

export interface RenderStageOutput {
  readonly code: 0 | 1 | 2;
  readonly lines: readonly string[];
  readonly results: readonly RenderResult[];
  readonly findings: readonly RenderFinding[];
  /** The reports: path relative to the output directory -> text (none when nothing was rendered). */
  readonly files: Readonly<Record<string, string>>;
}

export async function renderStage(
  dir: string,
  stacks: readonly SynthesizedStack[],
  o: RenderStageOptions,
): Promise<RenderStageOutput> {
  const fail = (line: string): RenderStageOutput => ({ code: 2, lines: [line], results: [], findings: [], files: {} });
  if (!fs.existsSync(o.mirror) || !fs.statSync(o.mirror).isDirectory()) {
    return fail(`render: the chart mirror ${o.mirror} is not a directory`);
  }
  let helm: string;
  try {
    helm = helmBinary();
  } catch (e) {
    if (e instanceof HelmUnavailableError) return fail(`render: ${e.message}`);
    throw e;
  }
  const start = Date.now();
  const kubeVersions = kubeVersionsOf(stacks);
  const results = await renderReleases(releasesOf(stacks), {
    helm,
    mirror: o.mirror,
    cacheDir: o.cacheDir,
    kubeVersions,
  });
  const findings = checkRendered(stacks, results);
  const missing = results.filter((r) => r.status === 'missing');
  const accepted = new Set(o.missingOk);
  const unexpected = missing.filter((r) => !accepted.has(`${r.release.chart}@${r.release.version}`));
  const files = renderReports({ mirror: o.mirror, results, findings, kubeVersions, ms: Date.now() - start });
  const lines = [
    ...findings.map(formatRenderFinding),
    ...[...new Set(missing.map((r) => `${r.release.chart}@${r.release.version}`))].map(
      (c) => `render: ${c} not rendered: chart not in mirror ${o.mirror}${accepted.has(c) ? ' (accepted)' : ''}`,
    ),
  ];
  const rendered = results.filter((r) => r.status === 'rendered').length;
  lines.push(
    `render: ${rendered} of ${results.length} releases rendered with Helm ${HELM_VERSION}, ${findings.length} finding(s); ${path.join(dir, 'reports', 'render.md')}`,
  );
  if (unexpected.length > 0) {
    return {
      code: 2,
      lines: [
        ...lines,
        `render: charts missing from the mirror: ${unexpected.map((r) => (r.status === 'missing' ? r.reason : '')).join('; ')}`,
      ],
      results,
      findings,
      files,
    };
  }
  return { code: findings.length > 0 ? 1 : 0, lines, results, findings, files };
}

/** The render report as Markdown and JSON. */
function renderReports(r: {
  mirror: string;
  results: readonly RenderResult[];
  findings: readonly RenderFinding[];
  kubeVersions: Readonly<Record<string, string>>;
  ms: number;
}): Record<string, string> {
  const releases = r.results.map((x) => ({
    stack: x.release.stack,
    release: x.release.address,
    chart: x.release.chart,
    version: x.release.version,
    namespace: x.release.namespace,
    kubernetesVersion: r.kubeVersions[providerAlias(x.release.body.provider) ?? ''] ?? DEFAULT_KUBE_VERSION,
    status: x.status,
    objects: x.status === 'rendered' ? x.objects.length : 0,
    reason: x.status === 'rendered' ? '' : x.reason,
  }));
  const json = {
    helm: HELM_VERSION,
    kubernetesVersion: DEFAULT_KUBE_VERSION,
    mirror: r.mirror,
    releases,
    findings: r.findings,
  };
  const md = [
    '# Rendered Helm releases',
    '',
    `Every \`helm_release\` rendered with Helm ${HELM_VERSION} (\`helm template\`, against the Kubernetes version each cluster runs) from the chart mirror \`${r.mirror}\`, and the rendered objects checked: the Säule-1 exposure guard, Pod Security at each namespace's enforced level (hooks included), the Kubernetes schema, the charts' render contracts and the flows each pillar needs. Secrets are rendered as placeholders. Rendering shows what the charts make of the values; it does not show what an API server, admission webhooks or the running services do.`,
    '',
    `Findings: **${r.findings.length}**`,
    '',
    '| stack | release | chart | status |',
    '| --- | --- | --- | --- |',
    ...releases.map(
      (x) =>
        `| ${x.stack} | ${x.release} | ${x.chart} ${x.version} | ${x.status === 'rendered' ? `rendered, ${x.objects} objects` : x.status === 'missing' ? 'not rendered: chart not in mirror' : `**does not render**: ${x.reason}`} |`,
    ),
    '',
    ...(r.findings.length > 0
      ? [
          '## Findings',
          '',
          '| stack | release | object | check | finding |',
          '| --- | --- | --- | --- | --- |',
          ...r.findings.map(
            (f) =>
              `| ${f.stack} | ${f.release} | ${f.object || '-'} | ${f.check} | ${f.message.replace(/\|/g, '\\|')} |`,
          ),
          '',
        ]
      : []),
  ].join('\n');
  return { 'reports/render.json': JSON.stringify(json, null, 2) + '\n', 'reports/render.md': md };
}
