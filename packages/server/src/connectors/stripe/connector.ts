import type { DataValues } from '@nagare/engine';
import type { AuthorizationResolver } from '../../authorization/authorization-settings.js';
import { createOutboundFetch, type OutboundFetch } from '../../outbound/outbound-fetch.js';
import type { Connector, ConnectorResult, JobIssue, JobRun } from '../connector.js';
import { badConfig, type Failure } from '../http/outcome.js';
import { baseUrlOf, configText, isFailure, stepAuth, vendorCall } from '../http/vendor-call.js';
import { readStripeAction } from './config.js';

export interface StripeConnectorOptions {
  readonly fetch?: OutboundFetch;
  readonly authorization?: AuthorizationResolver;
  readonly baseUrl?: string;
}

/**
 * Stripe (form-encoded API, `Authorization: Bearer <secret key>`): create a customer, a
 * payment intent (confirmed with the card from data items) or a charge. Every request sends an
 * `Idempotency-Key` derived from the job's, so a retried job never charges twice. The card
 * number item keeps only its last four digits afterwards, and the CVC item is cleared.
 */
export function stripeConnector(options: StripeConnectorOptions = {}): Connector {
  const fetch = options.fetch ?? createOutboundFetch();
  return {
    type: 'stripe',
    async run(job: JobRun, signal: AbortSignal): Promise<ConnectorResult> {
      const configs = job.automation.configs;
      const action = readStripeAction(configs);
      if (action.startsWith('config')) return badConfig(action);
      const base = baseUrlOf(configs, options.baseUrl ?? 'https://api.stripe.com');
      if (isFailure(base)) return base;
      const issue = await job.issue();
      const auth = await stepAuth(options.authorization, job, issue, configs.auth?.trim(), signal);
      if (isFailure(auth)) return auth;
      const text = (name: string, required = false) => configText(issue, configs, name, required);
      const post = async (path: string, form: URLSearchParams, keySuffix: string) =>
        vendorCall(fetch, job, signal, `Stripe POST ${path}`, {
          method: 'POST',
          url: `${base}${path}`,
          headers: {
            ...auth,
            'content-type': 'application/x-www-form-urlencoded',
            'Idempotency-Key': `${job.idempotencyKey}:${keySuffix}`,
          },
          body: form.toString(),
        });
      const data: DataValues = {};
      maskCard(configs, issue, data);
      const finish = (result: ConnectorResult): ConnectorResult => {
        if (result.ok) return { ok: true, data: { ...data, ...result.data } };
        const errorItem = configs.errorItem?.trim();
        if (errorItem && !result.retryable && result.error.code !== 'BAD_CONFIG') {
          return {
            ok: true,
            data: { ...data, [errorItem]: `${result.error.code}: ${result.error.message}` },
          };
        }
        return result;
      };
      if (action === 'createCustomer') {
        const form = new URLSearchParams();
        for (const field of ['email', 'name', 'description']) {
          const v = text(field);
          if (isFailure(v)) return v;
          if (v !== '') form.set(field, v);
        }
        const answer = await post('/v1/customers', form, 'customer');
        if (isFailure(answer)) return finish(answer);
        return finish(saved(configs, answer.json, {}));
      }
      const form = new URLSearchParams();
      const amount = text('amount', true);
      if (isFailure(amount)) return amount;
      if (!/^\d+$/.test(amount.trim())) {
        return badConfig(
          `config "amount" must be a whole number in the smallest currency unit, got "${amount}"`,
        );
      }
      const currency = text('currency', true);
      if (isFailure(currency)) return currency;
      form.set('amount', amount.trim());
      form.set('currency', currency.trim().toLowerCase());
      for (const field of ['customer', 'description']) {
        const v = text(field);
        if (isFailure(v)) return v;
        if (v !== '') form.set(field, v);
      }
      const card = readCard(configs, issue);
      if (isFailure(card)) return card;
      if (action === 'createCharge') {
        if (card) {
          form.set('source[object]', 'card');
          form.set('source[number]', card.number);
          form.set('source[exp_month]', card.expMonth);
          form.set('source[exp_year]', card.expYear);
          if (card.cvc) form.set('source[cvc]', card.cvc);
        }
        const answer = await post('/v1/charges', form, 'charge');
        if (isFailure(answer)) return finish(answer);
        return finish(saved(configs, answer.json, {}));
      }
      if (card) {
        const pm = new URLSearchParams({
          type: 'card',
          'card[number]': card.number,
          'card[exp_month]': card.expMonth,
          'card[exp_year]': card.expYear,
          ...(card.cvc ? { 'card[cvc]': card.cvc } : {}),
        });
        const method = await post('/v1/payment_methods', pm, 'payment_method');
        if (isFailure(method)) return finish(method);
        const id = (method.json as { id?: unknown } | undefined)?.id;
        if (typeof id !== 'string') return finish(badAnswer('Stripe payment_methods answered without an id'));
        form.set('payment_method', id);
        form.set('confirm', 'true');
        form.set('payment_method_types[]', 'card');
      }
      const answer = await post('/v1/payment_intents', form, 'payment_intent');
      if (isFailure(answer)) return finish(answer);
      return finish(saved(configs, answer.json, {}));
    },
  };
}

interface Card {
  number: string;
  expMonth: string;
  expYear: string;
  cvc: string | undefined;
}

function readCard(configs: Readonly<Record<string, string>>, issue: JobIssue): Card | undefined | Failure {
  const item = configs.cardNumberItem?.trim();
  if (!item) return undefined;
  const raw = issue.data[item];
  const number = typeof raw === 'string' ? raw.replace(/[\s-]/g, '') : '';
  if (!/^\d{12,19}$/.test(number)) return badConfig(`${item} does not hold a card number`);
  const expMonth = configText(issue, configs, 'expMonth', true);
  if (isFailure(expMonth)) return expMonth;
  const expYear = configText(issue, configs, 'expYear', true);
  if (isFailure(expYear)) return expYear;
  const cvcItem = configs.cvcItem?.trim();
  const cvc = cvcItem ? issue.data[cvcItem] : undefined;
  return {
    number,
    expMonth: expMonth.trim(),
    expYear: expYear.trim(),
    cvc: typeof cvc === 'string' && cvc !== '' ? cvc : undefined,
  };
}

/** Written with the result (success, or a refusal recorded in errorItem): last four digits, no CVC. */
function maskCard(configs: Readonly<Record<string, string>>, issue: JobIssue, data: DataValues): void {
  const item = configs.cardNumberItem?.trim();
  if (!item) return;
  const raw = issue.data[item];
  if (typeof raw === 'string') data[item] = raw.replace(/\D/g, '').slice(-4);
  const cvcItem = configs.cvcItem?.trim();
  if (cvcItem) data[cvcItem] = null;
}

function saved(configs: Readonly<Record<string, string>>, json: unknown, data: DataValues): ConnectorResult {
  const answer = (json ?? {}) as { id?: unknown; status?: unknown };
  const idItem = configs.idItem?.trim();
  const statusItem = configs.statusItem?.trim();
  if (idItem) data[idItem] = typeof answer.id === 'string' ? answer.id : null;
  if (statusItem) data[statusItem] = typeof answer.status === 'string' ? answer.status : null;
  return { ok: true, data };
}

function badAnswer(message: string): Failure {
  return { ok: false, error: { code: 'BAD_ANSWER', message }, retryable: false };
}
