import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent } from "aws-lambda";
import type { z } from "zod";
import { canReadFile, canReadLetter } from "../core/access";
import { IdSchema } from "../core/directory-schemas";
import { ACTION_BODY_SCHEMAS, LetterListQuerySchema, NewLetterSchema } from "../core/letter-schemas";
import { allowedActions, LETTER_ACTIONS, mayRegister, registerLetter, transition, type ActionInput, type LetterAction } from "../core/letters";
import { addDays, DEFAULT_CLASSIFICATION, DEFAULT_PRIORITY, localYear } from "../core/records";
import { letterReference, letterSeries } from "../core/references";
import { ForbiddenError, NotFoundError } from "../platform/errors";
import { httpHandler, parseJsonBody, parseQuery, signedIn, type RouteHandler } from "../platform/http";
import { createSfnClient } from "../platform/clients";
import { logger } from "../platform/logger";
import { LetterWorkflowSignals, LetterWorkflowStore } from "../store/letter-workflow";
import { authenticate, clients, config, directory } from "./deps";
import { activeUser, fileStore, idempotent, invalidField, letterStore, mapRecordError, tellWorkflow, useLetterWorkflow } from "./record-deps";
import { attachmentView, historyView, letterView, minuteView } from "./record-views";

/**
 * `POST|GET /api/letters`, `GET /api/letters/{id}` and the actions `POST /api/letters/{id}/<action>`
 * (DESIGN.md sections 4 and 6). A letter the caller may not read answers 404 like a missing one;
 * who may take which action on it is decided by `core/letters.transition`.
 */

// The letter workflow on Step Functions: started on registration, signalled after each action.
const workflowSignals = new LetterWorkflowSignals(createSfnClient(config), config.stateMachineArn, new LetterWorkflowStore(clients.doc, config.tables.letters));
useLetterWorkflow({
  registered: (letter) => workflowSignals.start(letter.agencyId, letter.id),
  moved: async (letter, event) => {
    await workflowSignals.signal(letter.agencyId, letter.id, { action: event.action, version: letter.version });
  },
});

function letterId(event: APIGatewayProxyEvent): string {
  const id = IdSchema.safeParse(event.pathParameters?.id);
  if (!id.success) throw new NotFoundError("No such letter");
  return id.data;
}

/** The validated body of an action as the domain's input. */
function actionInput(action: LetterAction, body: Record<string, unknown>): ActionInput {
  const text = (name: string) => String(body[name]);
  switch (action) {
    case "minute":
      return { action, text: text("text") };
    case "forward":
      return { action, to: text("to") };
    case "reassign":
      return { action, to: text("to"), reason: text("reason") };
    case "reject":
      return { action, note: text("note") };
    case "extend":
      return { action, dueAt: text("dueAt") };
    default:
      return { action };
  }
}

function actionRoute(action: LetterAction): RouteHandler {
  const schema: z.ZodType<Record<string, unknown> & { version?: number }> = ACTION_BODY_SCHEMAS[action];
  return async (event, _context, principal) => {
    const me = signedIn(principal);
    const id = letterId(event);
    const current = await letterStore.get(me.agencyId, id);
    if (!current || !canReadLetter(me, current.record)) throw new NotFoundError("No such letter");
    const body = parseJsonBody(event, schema);
    const input = actionInput(action, body);
    if (input.action === "forward" || input.action === "reassign") await activeUser(me, input.to, "to");
    const settings = await directory.getSettings(me.agencyId);
    const applied = await letterStore.apply(me.agencyId, id, {
      actorId: me.userId,
      timezone: settings.timezone,
      decide: async (letter) => {
        if (!canReadLetter(me, letter)) throw new NotFoundError("No such letter");
        const assignee = await directory.getUser(me.agencyId, letter.assigneeId);
        return transition(letter, me, input, { now: new Date(), assigneeSupervisorId: assignee?.supervisorId ?? null, expectedVersion: body.version });
      },
    });
    if (!applied) throw new NotFoundError("No such letter");
    const { letter, event: happened } = applied.result;
    logger.info("letter action applied", { letterId: id, action, version: letter.version });
    await tellWorkflow((workflow) => workflow.moved(letter, happened), id);
    return { status: 200, body: letterView(letter) };
  };
}

const actionRoutes = Object.fromEntries(LETTER_ACTIONS.map((action) => [`POST /api/letters/{id}/${action}`, actionRoute(action)]));

export const handler = httpHandler(
  {
    "POST /api/letters": async (event, _context, principal) => {
      const me = signedIn(principal);
      const input = parseJsonBody(event, NewLetterSchema);
      if (!mayRegister(me, input.direction)) throw new ForbiddenError(`You may not register ${input.direction.toLowerCase()} letters`);
      return idempotent(event, me, "POST /api/letters", input, async (claim) => {
        const assignee = await activeUser(me, input.assigneeId, "assigneeId");
        if (input.fileId) {
          const file = await fileStore.get(me.agencyId, input.fileId);
          if (!file || !canReadFile(me, file.record)) throw invalidField("fileId", "No such file in your agency");
        }
        const settings = await directory.getSettings(me.agencyId);
        const now = new Date();
        const dueAt = input.dueAt ?? addDays(now, input.dueInDays ?? settings.defaultDueDays).toISOString();
        const year = localYear(now, settings.timezone);
        const id = randomUUID();
        const result = await letterStore.register({
          agencyId: me.agencyId,
          series: letterSeries(input.direction, year),
          timezone: settings.timezone,
          actorId: me.userId,
          fileId: input.fileId,
          build: (n, filing) =>
            registerLetter(
              {
                id,
                agencyId: me.agencyId,
                reference: letterReference(me.agencyCode, input.direction, year, n),
                direction: input.direction,
                subject: input.subject,
                summary: input.summary ?? null,
                sender: input.sender ?? null,
                classification: input.classification ?? filing?.file.classification ?? DEFAULT_CLASSIFICATION,
                priority: input.priority ?? DEFAULT_PRIORITY,
                assigneeId: assignee.id,
                departmentId: filing?.file.departmentId ?? assignee.departmentId,
                fileId: filing?.file.id ?? null,
                folio: filing?.folio ?? null,
                dueAt,
                requiresApproval: input.requiresApproval ?? false,
              },
              me,
              now,
            ),
          extra: claim ? (letter) => [claim(letterView(letter))] : undefined,
        });
        logger.info("letter registered", { letterId: id, reference: result.letter.reference });
        await tellWorkflow((workflow) => workflow.registered(result.letter), id);
        return { status: 201, body: letterView(result.letter) };
      });
    },
    "GET /api/letters": async (event, _context, principal) => {
      const me = signedIn(principal);
      const query = parseQuery(event, LetterListQuerySchema);
      const page = await letterStore.box(me.agencyId, me.userId, query.box, query);
      return { status: 200, body: { items: page.items.filter((l) => canReadLetter(me, l)).map(letterView), nextCursor: page.nextCursor } };
    },
    "GET /api/letters/{id}": async (event, _context, principal) => {
      const me = signedIn(principal);
      const page = await letterStore.page(me.agencyId, letterId(event));
      if (!page || !canReadLetter(me, page.letter)) throw new NotFoundError("No such letter");
      const assignee = await directory.getUser(me.agencyId, page.letter.assigneeId);
      return {
        status: 200,
        body: {
          ...letterView(page.letter),
          // What the caller may do now, by the transition table, so the page offers only these.
          allowedActions: allowedActions(page.letter, me, assignee?.supervisorId ?? null),
          history: page.history.map(historyView),
          minutes: page.minutes.map(minuteView),
          attachments: page.attachments.map(attachmentView),
        },
      };
    },
    ...actionRoutes,
  },
  { authenticate, mapError: mapRecordError },
);
