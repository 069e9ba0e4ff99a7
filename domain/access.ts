/**
 * Who may see what on the dashboard: the roles people hold and what each role grants. Pure rules, one
 * implementation: the dashboard's routes ask `mayUse`, its lists ask `planVisibility`, and the role-matrix test
 * (test/dashboard/role-matrix.test.ts) walks every role against every route with these same tables.
 *
 * Source: issue 4, "Who may see what": "partnership analyst (figures and pseudonymised lists only), team manager
 * (plans of their own teams), social worker (own caseload), auditor (workbooks), administrator". Where the issue is
 * silent this module decides, on least privilege, and says so:
 *  - administrators read the access log and the figures, not children's records: running the service does not need
 *    them, and whoever reads the log should not also be its subject;
 *  - auditors get the workbooks (which hold every plan of the month) and nothing else;
 *  - figures (the workbook's Summary) are aggregates with no child in them, so team managers see them too.
 */

export const USER_ROLES = ['analyst', 'team-manager', 'social-worker', 'auditor', 'administrator'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Roles held across a whole partnership (PartnershipMember rows). Team managers hold theirs per team. */
export const PARTNERSHIP_ROLES = ['analyst', 'auditor', 'administrator'] as const satisfies readonly UserRole[];

export const ROLE_LABELS: Record<UserRole, string> = {
  analyst: 'partnership analyst',
  'team-manager': 'team manager',
  'social-worker': 'social worker',
  auditor: 'auditor',
  administrator: 'administrator',
};

/**
 * What a page needs. `figures`: the overview (aggregates only). `plan-lists`: lists of plans (overdue, escalations),
 * each plan shown as `planVisibility` says. `plan-records`: one plan's timeline, a read of a child's record.
 * `workbooks`: the monthly audit workbooks and their download. `access-log`: who read what.
 */
export const PERMISSIONS = ['figures', 'plan-lists', 'plan-records', 'workbooks', 'access-log'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const GRANTS: Readonly<Record<UserRole, readonly Permission[]>> = {
  analyst: ['figures', 'plan-lists'],
  'team-manager': ['figures', 'plan-lists', 'plan-records'],
  'social-worker': ['plan-lists', 'plan-records'],
  auditor: ['workbooks'],
  administrator: ['figures', 'access-log'],
};

export function mayUse(roles: ReadonlySet<UserRole>, permission: Permission): boolean {
  for (const role of roles) if (GRANTS[role].includes(permission)) return true;
  return false;
}

/** Where a person's record scope comes from: the teams they manage and the plans they are the social worker of. */
export interface RecordScope {
  personId: string;
  managedTeamIds: readonly string[];
}

export interface PlanPlacement {
  teamId: string;
  /** People holding the plan's 'social-worker' role. */
  socialWorkerIds: readonly string[];
}

/** Whether a plan is within a person's own records: a team they manage, or their own caseload. */
export function isOwnRecord(scope: RecordScope, plan: PlanPlacement): boolean {
  return scope.managedTeamIds.includes(plan.teamId) || plan.socialWorkerIds.includes(scope.personId);
}

/**
 * How a plan of the person's partnership appears in a list: by its reference (and linked) when it is their own
 * record, under a pseudonym when they may only see pseudonymised lists (analysts), or not at all.
 */
export type Visibility = 'identified' | 'pseudonymised' | 'hidden';

export function planVisibility(roles: ReadonlySet<UserRole>, scope: RecordScope, plan: PlanPlacement): Visibility {
  if (mayUse(roles, 'plan-records') && isOwnRecord(scope, plan)) return 'identified';
  if (roles.has('analyst')) return 'pseudonymised';
  return 'hidden';
}

/** The first page a person may use, for the landing redirect. */
export function homePermission(roles: ReadonlySet<UserRole>): Permission | undefined {
  return PERMISSIONS.find((p) => mayUse(roles, p));
}
