import nodemailer from 'nodemailer';
import { createPlanActivities } from '../../activities/plan-activities';
import { createTestDatabase } from '../support/database';
import { seedPartnership, PEOPLE } from '../support/fixtures';
import { SmtpCatcher } from '../support/smtp';
it('race', async () => {
  const db = await createTestDatabase('scratch_race');
  const smtp = new SmtpCatcher();
  await smtp.start();
  try {
    await seedPartnership(db.prisma);
    const a = createPlanActivities({ prisma: db.prisma, mailer: nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true }), mailFrom: 'c@council.test', publicBaseUrl: 'http://x' });
    const errors: Record<string, number> = {};
    const N = 30, C = 4;
    for (let i = 0; i < N; i++) {
      const id = `P${i}`;
      await db.prisma.plan.create({ data: { id, partnershipId: 'testshire', teamId: 'team-a', childId: 'child-1', policyId: 'england', rulesVersion: 'x', type: 'child-protection', startedOn: new Date('2026-01-05'), workflowId: id, roles: { create: [{ personId: PEOPLE.socialWorker.id, role: 'social-worker' }] } } });
      const intent = { key: 'o|reminder', subject: 'o', level: 'reminder' as const, reason: 'deadline-approaching' as const, fireOn: '2026-01-10', recipients: ['social-worker'] };
      const r = await Promise.allSettled(Array.from({ length: C }, () => a.sendNotification({ planId: id, intent })));
      for (const x of r) if (x.status === 'rejected') { const k = (x.reason as any).code ?? String(x.reason).slice(0, 80); errors[k] = (errors[k] ?? 0) + 1; }
    }
    console.log({ errors, mails: smtp.messages.length });
  } finally { await smtp.stop(); await db.drop(); }
});
