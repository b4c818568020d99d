/**
 * A Stripe-like HTTP server on 127.0.0.1 for the Stripe story: `POST /v1/customers` and
 * `POST /v1/charges`, Basic auth with the secret key as user name (as Stripe does), form
 * bodies validated field by field, answers shaped like Stripe's (ids, the card's last four
 * digits), `Idempotency-Key` honoured: a repeated key answers the first answer again.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface StripeLike {
  readonly url: string;
  readonly requests: {
    method: string;
    path: string;
    form: Record<string, string>;
    key: string | undefined;
  }[];
  readonly customers: Map<string, { email: string; last4: string }>;
  readonly charges: Map<string, { customer: string; amount: number; currency: string }>;
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startStripeLike(secretKey: string): Promise<StripeLike> {
  const requests: StripeLike['requests'] = [];
  const customers: StripeLike['customers'] = new Map();
  const charges: StripeLike['charges'] = new Map();
  const byKey = new Map<string, { status: number; body: unknown }>();
  let n = 0;
  const server: Server = createServer(async (req, res) => {
    const text = await bodyOf(req);
    const form = Object.fromEntries(new URLSearchParams(text));
    const key = req.headers['idempotency-key'] as string | undefined;
    const path = (req.url ?? '').split('?')[0]!;
    requests.push({ method: req.method ?? '', path, form, key });
    const answer = (status: number, body: unknown) => {
      if (key) byKey.set(key, { status, body });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, message: string, param?: string) =>
      answer(status, { error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) } });
    if (key && byKey.has(key)) {
      const first = byKey.get(key)!;
      res.writeHead(first.status, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
      res.end(JSON.stringify(first.body));
      return;
    }
    const expected = `Basic ${Buffer.from(`${secretKey}:`).toString('base64')}`;
    if (req.headers.authorization !== expected) return error(401, 'Invalid API Key provided');
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return error(400, 'form body expected');
    if (req.method === 'POST' && path === '/v1/customers') {
      for (const f of [
        'email',
        'source[object]',
        'source[number]',
        'source[exp_month]',
        'source[exp_year]',
        'source[cvc]',
      ]) {
        if (!form[f]) return error(400, `Missing required param: ${f}.`, f);
      }
      if (form['source[object]'] !== 'card')
        return error(400, 'source[object] must be card', 'source[object]');
      if (!/^\d{13,19}$/.test(form['source[number]']!))
        return error(402, 'Your card number is incorrect.', 'number');
      const month = Number(form['source[exp_month]']);
      if (!Number.isInteger(month) || month < 1 || month > 12)
        return error(400, "Your card's expiration month is invalid.", 'exp_month');
      if (!/^\d{4}$/.test(form['source[exp_year]']!))
        return error(400, "Your card's expiration year is invalid.", 'exp_year');
      if (!/^\d{3,4}$/.test(form['source[cvc]']!))
        return error(402, "Your card's security code is invalid.", 'cvc');
      const id = `cus_${(++n).toString().padStart(14, '0')}`;
      const last4 = form['source[number]']!.slice(-4);
      customers.set(id, { email: form.email!, last4 });
      return answer(200, {
        id,
        object: 'customer',
        description: form.description ?? null,
        email: form.email,
        sources: {
          object: 'list',
          data: [{ id: `card_${n}`, object: 'card', last4, name: form['source[name]'] ?? null }],
        },
      });
    }
    if (req.method === 'POST' && path === '/v1/charges') {
      const customer = customers.get(form.customer ?? '');
      if (!customer) return error(400, `No such customer: '${form.customer}'`, 'customer');
      const amount = Number(form.amount);
      if (!/^\d+$/.test(form.amount ?? '') || amount < 50)
        return error(400, 'Invalid integer: amount', 'amount');
      if (!/^[a-z]{3}$/.test(form.currency ?? '')) return error(400, 'Invalid currency', 'currency');
      const id = `ch_${(++n).toString().padStart(14, '0')}`;
      charges.set(id, { customer: form.customer!, amount, currency: form.currency! });
      return answer(200, {
        id,
        object: 'charge',
        amount,
        currency: form.currency,
        customer: form.customer,
        description: form.description ?? null,
        paid: true,
        source: { object: 'card', last4: customer.last4 },
      });
    }
    return error(404, `Unrecognized request URL (${req.method}: ${path})`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    customers,
    charges,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
