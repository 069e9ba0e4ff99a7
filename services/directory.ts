/**
 * A partnership's directory: its teams, its people and the dashboard roles they hold, loaded from one JSON file
 * (`corewatch directory load FILE`), so a council can set up and keep corewatch in step with its own staff list.
 *
 * Declarative for what the file names: a listed person's partnership roles become exactly those listed, and a listed
 * team's managers exactly those listed, so taking a role away is deleting it from the file. People the file does not
 * list are left as they are (deactivate someone with `"active": false`: the next request they make is refused).
 * All or nothing, in one transaction; loading the same file twice changes nothing. Bad input names the field.
 */
import { z } from 'zod';
import type { PrismaClient } from '../platform/database';
import { PARTNERSHIP_ROLES } from '../domain/access';
import { formatPath, PolicyIdSchema } from '../domain/evaluate-input';
import { identifierSchema, TEXT_MAX, textSchema } from '../domain/input-policy';

// The one input policy (domain/input-policy.ts): the ids plans and people are known by, names that can be stored.
const id = identifierSchema();
const text = z.string().trim().pipe(textSchema(TEXT_MAX.name));

export const DirectorySchema = z
  .strictObject({
    partnership: z.strictObject({ id, name: text, policy: PolicyIdSchema }),
    teams: z.array(z.strictObject({ id, name: text, managers: z.array(id).default([]) })).default([]),
    people: z
      .array(
        z.strictObject({
          id,
          name: text,
          email: z.email({ error: 'must be an email address' }).max(254, { error: 'must be at most 254 characters' }),
          agency: text.optional(),
          active: z.boolean().default(true),
          roles: z
            .array(z.enum(PARTNERSHIP_ROLES, { error: `must be one of ${PARTNERSHIP_ROLES.join(', ')}` }))
            .default([]),
        }),
      )
      .default([]),
  })
  .superRefine((d, ctx) => {
    const firstSeen = new Map<string, number>();
    d.people.forEach((p, i) => {
      for (const [key, value] of [
        ['id', p.id],
        ['email', p.email.toLowerCase()],
      ] as const) {
        const seen = firstSeen.get(`${key}:${value}`);
        if (seen !== undefined)
          ctx.addIssue({ code: 'custom', path: ['people', i, key], message: `repeats people[${seen}].${key}` });
        else firstSeen.set(`${key}:${value}`, i);
      }
    });
    const people = new Set(d.people.map((p) => p.id));
    d.teams.forEach((t, i) => {
      if (d.teams.findIndex((u) => u.id === t.id) !== i)
        ctx.addIssue({ code: 'custom', path: ['teams', i, 'id'], message: 'repeats an earlier team' });
      t.managers.forEach((m, j) => {
        if (!people.has(m))
          ctx.addIssue({ code: 'custom', path: ['teams', i, 'managers', j], message: `${m} is not in people` });
      });
    });
  });
export type Directory = z.output<typeof DirectorySchema>;

export class DirectoryError extends Error {
  override name = 'DirectoryError';
  constructor(readonly problems: Array<{ path: string; reason: string }>) {
    super(problems.map((p) => `${p.path}: ${p.reason}`).join('\n'));
  }
}

export function parseDirectory(json: unknown): Directory {
  const parsed = DirectorySchema.safeParse(json);
  if (!parsed.success)
    throw new DirectoryError(parsed.error.issues.map((i) => ({ path: formatPath(i.path), reason: i.message })));
  return parsed.data;
}

export interface DirectoryChanges {
  partnership: 'created' | 'updated' | 'unchanged';
  teams: { created: number; updated: number };
  people: { created: number; updated: number; deactivated: number };
  roles: { granted: number; removed: number };
}

export async function loadDirectory(prisma: PrismaClient, d: Directory): Promise<DirectoryChanges> {
  return prisma.$transaction(async (tx) => {
    const changes: DirectoryChanges = {
      partnership: 'unchanged',
      teams: { created: 0, updated: 0 },
      people: { created: 0, updated: 0, deactivated: 0 },
      roles: { granted: 0, removed: 0 },
    };
    const pid = d.partnership.id;
    const existing = await tx.partnership.findUnique({ where: { id: pid } });
    if (!existing) {
      await tx.partnership.create({ data: { id: pid, name: d.partnership.name, policyId: d.partnership.policy } });
      changes.partnership = 'created';
    } else {
      // Plans keep the rules they were registered under; a partnership changing policy is a decision, not an edit.
      if (existing.policyId !== d.partnership.policy) {
        throw new DirectoryError([
          {
            path: 'partnership.policy',
            reason: `is ${existing.policyId} in corewatch; a directory file cannot change it`,
          },
        ]);
      }
      if (existing.name !== d.partnership.name) {
        await tx.partnership.update({ where: { id: pid }, data: { name: d.partnership.name } });
        changes.partnership = 'updated';
      }
    }

    for (const [i, p] of d.people.entries()) {
      const stored = await tx.person.findUnique({ where: { id: p.id } });
      if (stored && stored.partnershipId !== pid)
        throw new DirectoryError([{ path: `people[${i}].id`, reason: 'belongs to another partnership' }]);
      const clash = await tx.person.findFirst({
        where: { partnershipId: pid, email: { equals: p.email, mode: 'insensitive' }, id: { not: p.id } },
      });
      if (clash)
        throw new DirectoryError([{ path: `people[${i}].email`, reason: `is already the email of ${clash.id}` }]);
      const data = { name: p.name, email: p.email, agency: p.agency ?? null, active: p.active };
      if (!stored) {
        await tx.person.create({ data: { id: p.id, partnershipId: pid, ...data } });
        changes.people.created += 1;
      } else if (
        stored.name !== data.name ||
        stored.email !== data.email ||
        stored.agency !== data.agency ||
        stored.active !== data.active
      ) {
        await tx.person.update({ where: { id: p.id }, data });
        if (stored.active && !p.active) changes.people.deactivated += 1;
        else changes.people.updated += 1;
      }
      const held = (await tx.partnershipMember.findMany({ where: { partnershipId: pid, personId: p.id } })).filter(
        (m) => (PARTNERSHIP_ROLES as readonly string[]).includes(m.role),
      );
      const wanted = new Set<string>(p.roles);
      for (const m of held.filter((m) => !wanted.has(m.role))) {
        await tx.partnershipMember.delete({ where: { id: m.id } });
        changes.roles.removed += 1;
      }
      for (const role of [...wanted].filter((r) => !held.some((m) => m.role === r))) {
        await tx.partnershipMember.create({ data: { partnershipId: pid, personId: p.id, role } });
        changes.roles.granted += 1;
      }
    }

    for (const [i, t] of d.teams.entries()) {
      const stored = await tx.team.findUnique({ where: { id: t.id } });
      if (stored && stored.partnershipId !== pid)
        throw new DirectoryError([{ path: `teams[${i}].id`, reason: 'belongs to another partnership' }]);
      const sameName = await tx.team.findFirst({ where: { partnershipId: pid, name: t.name, id: { not: t.id } } });
      if (sameName)
        throw new DirectoryError([{ path: `teams[${i}].name`, reason: `is already the name of team ${sameName.id}` }]);
      if (!stored) {
        await tx.team.create({ data: { id: t.id, partnershipId: pid, name: t.name } });
        changes.teams.created += 1;
      } else if (stored.name !== t.name) {
        await tx.team.update({ where: { id: t.id }, data: { name: t.name } });
        changes.teams.updated += 1;
      }
      const managers = await tx.teamMember.findMany({ where: { teamId: t.id, role: 'team-manager' } });
      const wanted = new Set(t.managers);
      for (const m of managers.filter((m) => !wanted.has(m.personId))) {
        await tx.teamMember.delete({
          where: { teamId_personId_role: { teamId: t.id, personId: m.personId, role: 'team-manager' } },
        });
        changes.roles.removed += 1;
      }
      for (const personId of [...wanted].filter((w) => !managers.some((m) => m.personId === w))) {
        await tx.teamMember.create({ data: { teamId: t.id, personId, role: 'team-manager' } });
        changes.roles.granted += 1;
      }
    }
    return changes;
  });
}
