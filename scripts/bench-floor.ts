/** The floor: a bare cdktf app with the same two providers and one namespace (deep imports, compiled JS). */
import { App, TerraformStack } from 'cdktf';
import { HelmProvider, KubernetesProvider, NamespaceV1 } from '../constructs/providers';

const outdir = process.argv[2] ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out.floor';
const app = new App({ outdir, stackTraces: false });
const stack = new TerraformStack(app, 'floor');
const kubernetes = new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config' });
new HelmProvider(stack, 'helm', { kubernetes: { configPath: '~/.kube/config' } });
new NamespaceV1(stack, 'ns', { provider: kubernetes, metadata: { name: 'floor' } });
app.synth();
process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }) + '\n');
