/**
 * The status rule exists twice by necessity: in the engine (domain/obligations.ts obligationStatus), and in SQL for
 * lists and counts that must not load rows (services/plan-data/obligation-status.ts). This keeps them one rule: every
 * combination of due day, met day and reading day around each other gives the same status in PostgreSQL as in the
 * engine.
 */
import { addDays } from '../../../domain/calendar';
import { obligationStatus } from '../../../domain/obligations';
import type { IsoDate } from '../../../domain/types';
import { statusSql } from '../../../services/plan-data/obligation-status';
import { createTestDatabase, type TestDatabase } from '../../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('obligation_status');
});
afterAll(async () => db?.drop());

it('gives the engine’s status for every met day and reading day around the due day', async () => {
  const due = '2026-03-31';
  const days = [-3, -1, 0, 1, 2, 40].map((d) => addDays(due, d));
  const cases: Array<{ metOn: IsoDate | undefined; asOf: IsoDate }> = [];
  for (const asOf of days) for (const metOn of [undefined, ...days]) cases.push({ metOn, asOf });

  for (const { metOn, asOf } of cases) {
    const [row] = await db.prisma.$queryRaw<Array<{ status: string }>>`
      SELECT ${statusSql(asOf)} AS status
      FROM (SELECT ${due}::date AS due, ${metOn ?? null}::date AS "metOn") AS o`;
    expect({ metOn, asOf, status: row!.status }).toEqual({ metOn, asOf, status: obligationStatus(due, metOn, asOf) });
  }
  expect(new Set(cases.map((c) => obligationStatus(due, c.metOn, c.asOf)))).toEqual(
    new Set(['met', 'late', 'overdue', 'pending']),
  );
});
