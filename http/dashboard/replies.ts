/** How the dashboard answers with a page: HTML of the GOV.UK template, with its status. */
import type { FastifyReply } from 'fastify';
import type { Access } from './access';
import type { SafeHtml } from './html';
import { page } from './layout';
import { messageBody } from './views';

export function sendPage(reply: FastifyReply, status: number, body: SafeHtml): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body.value);
}

/** A page that only says something (a refusal, an error), in the signed-in person's frame when there is one. */
export function sendMessage(
  reply: FastifyReply,
  status: number,
  title: string,
  text: string,
  access?: Access,
): FastifyReply {
  return sendPage(
    reply,
    status,
    page({
      title,
      body: messageBody(title, text),
      ...(access ? { identity: access.identity, roles: access.roles } : {}),
    }),
  );
}
