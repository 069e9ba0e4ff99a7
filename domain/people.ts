/**
 * Who holds each role on a plan, on a given day (issue 10, "people who change"): the people registered with the
 * plan, then every `worker-allocated` (a new social worker, team manager, conference chair or head of service: the
 * role passes to them), `member-joined` and `member-left` (core group members) and `team-changed`, in date order.
 *
 * Reminders and escalations go to whoever holds the role on the day they are sent (the read model keeps the plan's
 * people as of today with this, and the sending activity reads them); the plan page shows the history.
 *
 * Pure: imported by the read model and the pages; no clock, no I/O.
 */
import { compareDates } from './calendar';
import type { IsoDate, PlanEvent, WorkerAllocated } from './types';

export interface PlanPerson {
  personId: string;
  role: string;
  agency?: string;
}

export interface PlanPeople {
  teamId: string;
  people: PlanPerson[];
}

/** One change of who holds what, for the plan page's history. */
export interface PeopleChange {
  on: IsoDate;
  what: string;
}

/**
 * The plan's team and people as of `asOf`: those registered, changed by the people events dated on or before it
 * (same-day events in the order given, which is the order they were recorded).
 */
export function planPeopleAsOf(registered: PlanPeople, events: readonly PlanEvent[], asOf: IsoDate): PlanPeople {
  let teamId = registered.teamId;
  let people = registered.people.map((p) => ({ ...p }));
  for (const event of peopleEvents(events)) {
    if (compareDates(event.on, asOf) > 0) break;
    switch (event.type) {
      case 'worker-allocated':
        people = [...people.filter((p) => p.role !== event.role), { personId: event.person, role: event.role }];
        break;
      case 'member-joined':
        if (!people.some((p) => p.role === 'core-group-member' && p.personId === event.person))
          people.push({ personId: event.person, role: 'core-group-member', agency: event.agency });
        break;
      case 'member-left':
        people = people.filter((p) => !(p.role === 'core-group-member' && p.personId === event.person));
        break;
      case 'team-changed':
        teamId = event.team;
        break;
    }
  }
  return { teamId, people };
}

/** Every change of people or team, in date order, as the plan page lists it. */
export function peopleChanges(events: readonly PlanEvent[]): PeopleChange[] {
  return peopleEvents(events).map((e) => {
    switch (e.type) {
      case 'worker-allocated':
        return { on: e.on, what: `${e.person} allocated as ${e.role}` };
      case 'member-joined':
        return { on: e.on, what: `${e.person} (${e.agency}) joined the core group` };
      case 'member-left':
        return { on: e.on, what: `${e.person} (${e.agency}) left the core group` };
      case 'team-changed':
        return { on: e.on, what: `plan moved to team ${e.team}` };
    }
  });
}

/** The roles a `worker-allocated` event can pass to someone else (core group members join and leave instead). */
export const ALLOCATED_ROLES = ['social-worker', 'team-manager', 'conference-chair', 'head-of-service'] as const;

/** A change of social worker after the plan started: the core group is told the new worker's name (001 §4). */
export function isSocialWorkerChange(event: PlanEvent): event is WorkerAllocated {
  return event.type === 'worker-allocated' && event.role === 'social-worker';
}

type PeopleEvent = Extract<PlanEvent, { type: 'worker-allocated' | 'member-joined' | 'member-left' | 'team-changed' }>;

function peopleEvents(events: readonly PlanEvent[]): PeopleEvent[] {
  // Array.prototype.sort is stable (ES2019+): events on the same day keep their input order.
  return events
    .filter(
      (e): e is PeopleEvent =>
        e.type === 'worker-allocated' ||
        e.type === 'member-joined' ||
        e.type === 'member-left' ||
        e.type === 'team-changed',
    )
    .sort((a, b) => compareDates(a.on, b.on));
}
