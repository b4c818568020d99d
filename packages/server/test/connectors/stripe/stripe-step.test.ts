import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuthorizationSettings } from '../../../src/authorization/index.js';
import type { JobRun } from '../../../src/connectors/connector.js';
import { stripeConnector } from '../../../src/connectors/stripe/connector.js';
import { createOutboundFetch } from '../../../src/outbound/index.js';
import { describeEachDialect } from '../../support/dialects.js';
import { openRuntime, type TestRuntime } from '../../support/runtime.js';
import { runStep, stepApp } from '../http/step-app.js';
import { type Recorded, startVendorServer, type VendorServer } from '../http/vendor-server.js';

const KEY = randomBytes(32).toString('base64');
const fetch = createOutboundFetch({ allow: () => ['127.0.0.1/32'] });
let stripe: VendorServer;

/** Stripe as documented: Bearer secret key, form-encoded bodies, Idempotency-Key honoured. */
function handle(req: Recorded): { status: number; json: unknown } {
  if (req.headers.authorization !== 'Bearer sk_test_123')
    return { status: 401, json: { error: { type: 'invalid_request_error' } } };
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded')
    return { status: 400, json: { error: {} } };
  if (!req.headers['idempotency-key'])
    return { status: 400, json: { error: { message: 'no Idempotency-Key' } } };
  const form = new URLSearchParams(req.body.toString());
  switch (req.path) {
    case '/v1/customers':
      return { status: 200, json: { id: 'cus_1', object: 'customer', email: form.get('email') } };
    case '/v1/payment_methods':
      if (form.get('type') !== 'card' || !form.get('card[number]'))
        return { status: 400, json: { error: {} } };
      return {
        status: 200,
        json: { id: 'pm_1', object: 'payment_method', card: { last4: form.get('card[number]')!.slice(-4) } },
      };
    case '/v1/payment_intents':
      if (form.get('payment_method') !== 'pm_1' || form.get('confirm') !== 'true')
        return { status: 400, json: { error: {} } };
      return {
        status: 200,
        json: {
          id: 'pi_1',
          object: 'payment_intent',
          status: 'succeeded',
          amount: Number(form.get('amount')),
        },
      };
    case '/v1/charges':
      if (form.get('source[number]') === '4000000000000002') {
        return { status: 402, json: { error: { type: 'card_error', code: 'card_declined' } } };
      }
      return { status: 200, json: { id: 'ch_1', status: 'succeeded' } };
    default:
      return { status: 404, json: {} };
  }
}

beforeAll(async () => {
  stripe = await startVendorServer(handle);
});
afterAll(() => stripe.close());

const items = {
  q_email: 'string',
  q_amount: 'numeric',
  q_card: 'string',
  q_cvc: 'string',
  q_id: 'string',
  q_status: 'string',
  q_error: 'string',
};

describeEachDialect('Stripe step through the runtime', ({ config }) => {
  const make = (t: TestRuntime) =>
    stripeConnector({
      fetch,
      baseUrl: stripe.base,
      authorization: new AuthorizationSettings({ db: t.store.db, secretKey: KEY, fetch }),
    });
  const saveKey = async (t: TestRuntime, appId: string) => {
    await new AuthorizationSettings({ db: t.store.db, secretKey: KEY, fetch }).save('default', appId, {
      kind: 'token',
      name: 'stripe',
      token: 'sk_test_123',
    });
  };

  it('a payment intent confirmed with the card from data items; the card number keeps its last four digits', async () => {
    const run = await runStep(
      config(),
      'stripe',
      make,
      stepApp(
        'stripe',
        {
          auth: 'stripe',
          action: 'createPaymentIntent',
          amount: '{{q_amount}}',
          currency: 'JPY',
          cardNumberItem: 'q_card',
          expMonth: '12',
          expYear: '2030',
          cvcItem: 'q_cvc',
          idItem: 'q_id',
          statusItem: 'q_status',
        },
        items,
      ),
      { q_amount: 1500, q_card: '4242 4242 4242 4242', q_cvc: '123' },
      saveKey,
    );
    try {
      expect(run.incidents).toEqual([]);
      expect(run.status).toBe('completed');
      expect(run.data).toMatchObject({ q_card: '4242', q_cvc: null, q_id: 'pi_1', q_status: 'succeeded' });
      const [pm, pi] = stripe.requests.slice(-2);
      expect(pm?.path).toBe('/v1/payment_methods');
      expect(new URLSearchParams(pm!.body.toString()).get('card[number]')).toBe('4242424242424242');
      expect(pi?.path).toBe('/v1/payment_intents');
      expect(Object.fromEntries(new URLSearchParams(pi!.body.toString()))).toMatchObject({
        amount: '1500',
        currency: 'jpy',
      });
      expect(pm!.headers['idempotency-key']).toBe(`${run.issueId}:1:payment_method`);
      expect(pi!.headers['idempotency-key']).toBe(`${run.issueId}:1:payment_intent`);
      // the stored issue no longer holds the card number anywhere
      const row = await run.t.store.db
        .selectFrom('issue')
        .select('state')
        .where('id', '=', run.issueId)
        .executeTakeFirstOrThrow();
      expect(row.state).not.toContain('4242424242424242');
      expect(row.state).not.toContain('4242 4242 4242 4242');
    } finally {
      await run.t.close();
    }
  });

  it('a customer; a declined charge recorded in errorItem with the card masked', async () => {
    const run = await runStep(
      config(),
      'stripe',
      make,
      stepApp(
        'stripe',
        { auth: 'stripe', action: 'createCustomer', email: '#{q_email}', idItem: 'q_id' },
        items,
      ),
      { q_email: 'a@example.com' },
      saveKey,
    );
    try {
      expect(run.data.q_id).toBe('cus_1');
      expect(new URLSearchParams(stripe.requests.at(-1)!.body.toString()).get('email')).toBe('a@example.com');
      const { appId } = await run.t.runtime.deploy({
        bpmn: stepApp(
          'stripe',
          {
            auth: 'stripe',
            action: 'createCharge',
            amount: '500',
            currency: 'jpy',
            cardNumberItem: 'q_card',
            expMonth: '1',
            expYear: '2031',
            errorItem: 'q_error',
          },
          items,
        ),
      });
      await saveKey(run.t, appId);
      const { issueId } = await run.t.runtime.startIssue({ appId, data: { q_card: '4000-0000-0000-0002' } });
      await run.t.runtime.createWorker().runOnce();
      const issue = await run.t.runtime.getIssue(issueId);
      expect(issue.status).toBe('completed');
      expect(issue.state.data).toMatchObject({
        q_card: '0002',
        q_error: expect.stringMatching(/^HTTP_402: .*card_declined/),
      });
    } finally {
      await run.t.close();
    }
  });
  it('a repeated job sends the same Idempotency-Key; bad configs are refused before any call', async () => {
    const t = await openRuntime(config());
    const { appId } = await t.runtime.deploy({ bpmn: stepApp('stripe', {}, items) });
    await saveKey(t, appId);
    const c = make(t);
    const job = (configs: Record<string, string>): JobRun => ({
      workspaceId: 'default',
      issueId: 'I9',
      seq: 4,
      node: 'pay',
      attempt: 1,
      maxAttempts: 3,
      idempotencyKey: 'I9:4',
      automation: { type: 'stripe', configs },
      issue: async () => ({
        id: 'I9',
        workspaceId: 'default',
        appId,
        appVersionId: 'V',
        mode: 'normal',
        startedAt: '',
        data: {},
        app: { dataItems: {} } as never,
      }),
    });
    const signal = new AbortController().signal;
    const charge = job({ auth: 'stripe', action: 'createCharge', amount: '100', currency: 'jpy' });
    expect(await c.run(charge, signal)).toMatchObject({ ok: true });
    expect(await c.run(charge, signal)).toMatchObject({ ok: true });
    const keys = stripe.requests.slice(-2).map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual(['I9:4:charge', 'I9:4:charge']);
    const before = stripe.requests.length;
    expect(await c.run(job({ auth: 'stripe', action: 'refund' }), signal)).toMatchObject({
      ok: false,
      error: { code: 'BAD_CONFIG' },
    });
    expect(
      await c.run(job({ auth: 'stripe', action: 'createCharge', amount: '1.5', currency: 'jpy' }), signal),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/"amount" must be a whole number/) },
    });
    expect(await c.run(job({ auth: 'stripe', action: 'createCharge', amount: '1' }), signal)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/"currency" is required/) },
    });
    expect(await c.run(job({ action: 'createCustomer' }), signal)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/"auth" is required/) },
    });
    expect(stripe.requests.length).toBe(before);
    await t.close();
  });
});
