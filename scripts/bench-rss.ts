/** Preloaded by the benchmark (`node -r`): writes the process's peak memory (KiB) to $BENCH_RSS_FILE at exit. */
import * as fs from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) process.on('exit', () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
