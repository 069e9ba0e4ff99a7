/**
 * Which Person a sign-in is. An OpenID Connect identity is found by its (issuer, subject) once bound; the first time,
 * by its verified email among active people not yet bound, and then bound, so that a later change of email at the
 * provider cannot move the sign-in to someone else. Anything ambiguous is refused rather than guessed: an email
 * registered in several partnerships, or a person already bound to another subject.
 */
import type { PrismaClient } from '../../platform/database';
import { loadAccess } from './access';
import { rolesText } from './layout';
import type { ProviderIdentity } from './oidc';
import { SignInError } from './oidc';
import type { Identity } from './session';

export async function personForProviderIdentity(prisma: PrismaClient, who: ProviderIdentity): Promise<Identity> {
  const bound = await prisma.person.findUnique({
    where: { oidcIssuer_oidcSubject: { oidcIssuer: who.issuer, oidcSubject: who.subject } },
  });
  if (bound) {
    if (!bound.active) throw new SignInError('this account is no longer active in corewatch');
    return { personId: bound.id, partnershipId: bound.partnershipId, displayName: bound.name, demo: false };
  }
  if (!who.email) throw new SignInError('the identity provider did not vouch for an email address to match');
  const candidates = await prisma.person.findMany({
    where: { email: { equals: who.email, mode: 'insensitive' }, active: true },
  });
  if (candidates.length === 0) throw new SignInError('no corewatch account has this email address');
  if (candidates.length > 1)
    throw new SignInError(
      'this email address belongs to accounts in more than one partnership; an administrator must bind it',
    );
  const person = candidates[0]!;
  if (person.oidcSubject !== null) throw new SignInError('this corewatch account is bound to another sign-in');
  // Bind only if still unbound (a concurrent first sign-in of the same person binds once).
  const claimed = await prisma.person.updateMany({
    where: { id: person.id, oidcSubject: null },
    data: { oidcIssuer: who.issuer, oidcSubject: who.subject },
  });
  if (claimed.count !== 1) throw new SignInError('this corewatch account is bound to another sign-in');
  return { personId: person.id, partnershipId: person.partnershipId, displayName: person.name, demo: false };
}

export interface DemoPerson {
  personId: string;
  displayName: string;
  roles: string;
}

/** The demo partnership's people who hold a dashboard role: the built-in demo identities on offer. */
export async function demoPeople(prisma: PrismaClient, partnershipId: string): Promise<DemoPerson[]> {
  const people = await prisma.person.findMany({
    where: { partnershipId, active: true },
    orderBy: { id: 'asc' },
    select: { id: true, name: true },
  });
  const offered: DemoPerson[] = [];
  for (const person of people) {
    const identity: Identity = { personId: person.id, partnershipId, displayName: person.name, demo: true };
    const access = await loadAccess(prisma, identity);
    if (access && access.roles.size > 0)
      offered.push({ personId: person.id, displayName: person.name, roles: rolesText(access.roles) });
  }
  return offered;
}
