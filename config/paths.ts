/** Where the repository and its default federation are; light (Node built-ins only), for entry points. */
import * as path from 'node:path';

/** The repository root, whether this runs compiled (dist/config) or from source (config). */
export function projectRoot(): string {
  const up = path.resolve(__dirname, '..');
  return path.basename(up) === 'dist' ? path.dirname(up) : up;
}

/** The embedded default federation. */
export const DEFAULT_CONFIG_FILE = path.join(projectRoot(), 'config', 'federation.yaml');
