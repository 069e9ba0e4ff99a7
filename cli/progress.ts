/** A progress bar on stderr, shared by the commands that work through many plans or months. */
import type { Io } from './command';

export function drawProgress(io: Io, label: string, done: number, total: number | undefined): void {
  const width = 30;
  const fraction = total ? Math.min(done / total, 1) : 0;
  const filled = Math.round(fraction * width);
  io.stderr(
    `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${label} ${done}/${total ?? '?'}   `,
  );
}
