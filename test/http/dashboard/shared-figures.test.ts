/**
 * The overview's figures are shared across a partnership's viewers for a short while: one computation however many
 * ask at once, reused until the time is up, and never a failed computation kept.
 */
import { SharedFigures } from '../../../http/dashboard/shared-figures';

it('computes once for callers at the same moment, reuses within the time, and computes again after it', async () => {
  let now = 0;
  let computed = 0;
  const shared = new SharedFigures<number>(60_000, 10, () => now);
  const compute = async () => ++computed;
  expect(await Promise.all([shared.get('p', compute), shared.get('p', compute), shared.get('p', compute)])).toEqual([
    1, 1, 1,
  ]);
  now = 59_999;
  expect(await shared.get('p', compute)).toBe(1);
  expect(await shared.get('q', compute)).toBe(2); // another partnership: its own figures
  now = 60_000;
  expect(await shared.get('p', compute)).toBe(3);
});

it('does not keep a failed computation: the next caller tries again', async () => {
  const shared = new SharedFigures<string>(60_000);
  await expect(shared.get('p', () => Promise.reject(new Error('database away')))).rejects.toThrow('database away');
  await expect(shared.get('p', async () => 'figures')).resolves.toBe('figures');
});

it('holds a bounded number of entries, the oldest leaving first', async () => {
  let computed = 0;
  const shared = new SharedFigures<number>(60_000, 2);
  const compute = async () => ++computed;
  await shared.get('a', compute);
  await shared.get('b', compute);
  await shared.get('c', compute);
  expect(await shared.get('b', compute)).toBe(2);
  expect(await shared.get('a', compute)).toBe(4); // 'a' had been dropped for 'c'
});
