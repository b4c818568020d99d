/**
 * The Stripe story (acceptance): the two script steps of product-source.txt §5–6, pasted as
 * they are (the request parts verbatim, wrapped in the reads and writes a script step needs),
 * deployed as a BPMN App through the runtime, run by a worker against a Stripe-like server on
 * 127.0.0.1 that checks Basic auth and every form field. The issue ends with the customer id
 * and charge id stored and the card number reduced to its last four digits.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createConnectorRegistry } from '../../../src/connectors/connector.js';
import { scriptConnector } from '../../../src/connectors/script/connector.js';
import { createOutboundFetch } from '../../../src/outbound/outbound-fetch.js';
import { describeEachDialect } from '../../support/dialects.js';
import { bpmn, flows, openRuntime } from '../../support/runtime.js';
import { type StripeLike, startStripeLike } from './stripe-server.js';

const SECRET_KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';

// Step 1 (§6, first listing): register customer and card; keep the customer id and last four digits.
const CUSTOMER_SCRIPT = `
var secretKey = configs.get("secretKey") + "";
var stripeDesc = engine.findDataByNumber("1") + "";
var stripeEmail = engine.findDataByNumber("2") + "";
var stripeCardNum = engine.findDataByNumber("3") + "";
var expMonth = engine.findDataByNumber("4") + "";
var expYear = engine.findDataByNumber("5") + "";
var stripeCardCvc = engine.findDataByNumber("6") + "";
var stripeCardName = engine.findDataByNumber("7") + "";

var responseJson = "";
var uri = "https://api.stripe.com/v1/customers";
var response = httpClient.begin()
.basic( secretKey, "" )
.formParam( "description", stripeDesc )
.formParam( "email", stripeEmail )
.formParam( "source[object]", "card" )
.formParam( "source[exp_month]", expMonth )
.formParam( "source[exp_year]", expYear )
.formParam( "source[number]", stripeCardNum )
.formParam( "source[cvc]", stripeCardCvc )
.formParam( "source[name]", stripeCardName )
.post( uri );
var httpStatus = response.getStatusCode() + "";

if( httpStatus !== "200" ){
  engine.log( response.getResponseAsString() );
  throw "Stripe refused the customer: " + httpStatus;
}
responseJson = JSON.parse( response.getResponseAsString() );
engine.setDataByNumber( "8", responseJson.id );
engine.setDataByNumber( "3", responseJson.sources.data[0].last4 );
engine.setDataByNumber( "6", null );
`;

// Step 2 (§6, second listing): charge the customer; keep the charge id.
const CHARGE_SCRIPT = `
var secretKey = configs.get("secretKey") + "";
var stripeDesc = engine.findDataByNumber("11") + "";
var stripeCusId = engine.findDataByNumber("8") + "";
var stripeAmount = engine.findDataByNumber("9").longValue() + "";
var stripeCurrency = engine.findDataByNumber("10") + "";

var responseJson = "";
var uri = "https://api.stripe.com/v1/charges";
var response = httpClient.begin()
.basic( secretKey, "" )
.formParam( "description", stripeDesc )
.formParam( "customer", stripeCusId )
.formParam( "amount", stripeAmount )
.formParam( "currency", stripeCurrency )
.post( uri );
var httpStatus = response.getStatusCode() + "";

if( httpStatus !== "200" ){
  engine.log( response.getResponseAsString() );
  throw "Stripe refused the charge: " + httpStatus;
}
responseJson = JSON.parse( response.getResponseAsString() );
engine.setDataByNumber( "12", responseJson.id );
`;

function scriptTask(id: string, body: string): string {
  return `<bpmn:scriptTask id="${id}" scriptFormat="javascript">
    <bpmn:extensionElements><nagare:automation type="script">
      <nagare:config name="secretKey">${SECRET_KEY}</nagare:config>
    </nagare:automation></bpmn:extensionElements>
    <bpmn:script><![CDATA[${body}]]></bpmn:script>
  </bpmn:scriptTask>`;
}

const ITEMS = [
  '<nagare:dataItem number="1" fieldName="contract" type="string"/>',
  '<nagare:dataItem number="2" fieldName="email" type="string"/>',
  '<nagare:dataItem number="3" fieldName="cardNumber" type="string"/>',
  '<nagare:dataItem number="4" fieldName="expMonth" type="numeric"/>',
  '<nagare:dataItem number="5" fieldName="expYear" type="string"/>',
  '<nagare:dataItem number="6" fieldName="cvc" type="string"/>',
  '<nagare:dataItem number="7" fieldName="cardName" type="string"/>',
  '<nagare:dataItem number="8" fieldName="customerId" type="string"/>',
  '<nagare:dataItem number="9" fieldName="amount" type="numeric"/>',
  '<nagare:dataItem number="10" fieldName="currency" type="string"/>',
  '<nagare:dataItem number="11" fieldName="service" type="string"/>',
  '<nagare:dataItem number="12" fieldName="chargeId" type="string"/>',
].join('');

const APP = bpmn(
  `<bpmn:startEvent id="start"/>
   ${scriptTask('customer', CUSTOMER_SCRIPT)}
   ${scriptTask('charge', CHARGE_SCRIPT)}
   <bpmn:endEvent id="end"/>
   ${flows('start>customer', 'customer>charge', 'charge>end')}`,
  { items: ITEMS, id: 'Stripe' },
);

const START_DATA = {
  contract: 'Monthly plan for ACME',
  email: 'billing@acme.example',
  cardNumber: '4242424242424242',
  expMonth: 12,
  expYear: '2030',
  cvc: '123',
  cardName: 'Taro Yamada',
  amount: 1980,
  currency: 'jpy',
  service: 'October usage',
};

let stripe: StripeLike;
beforeAll(async () => {
  stripe = await startStripeLike(SECRET_KEY);
});
afterAll(async () => {
  await stripe.close();
});

/** The real outbound fetch, allowed to reach 127.0.0.1, with api.stripe.com pointed at the local server. */
function stripeFetch() {
  const outbound = createOutboundFetch({ allow: () => ['127.0.0.1/32'] });
  return (
    url: string,
    init: RequestInit,
    context: { workspaceId: string; issueId?: string; node?: string },
  ) => outbound(url.replace('https://api.stripe.com', stripe.url), init, context);
}

describeEachDialect('the Stripe story', ({ config }) => {
  it('creates the customer, charges it, stores both ids and keeps only the last four digits', async () => {
    const connectors = createConnectorRegistry([scriptConnector({ fetch: stripeFetch() })]);
    const t = await openRuntime(config(), { connectors });
    try {
      const { appId } = await t.runtime.deploy({ bpmn: APP });
      const { issueId } = await t.runtime.startIssue({ appId, data: START_DATA });
      const worker = t.runtime.createWorker();
      for (let i = 0; i < 4 && (await t.runtime.getIssue(issueId)).status !== 'completed'; i++)
        await worker.runOnce();
      const issue = await t.runtime.getIssue(issueId);
      expect(issue.status).toBe('completed');
      const data = issue.state.data as Record<string, unknown>;
      const [customerId] = [...stripe.customers.keys()].slice(-1);
      const [chargeId] = [...stripe.charges.keys()].slice(-1);
      expect(data.customerId).toBe(customerId);
      expect(data.chargeId).toBe(chargeId);
      expect(data.cardNumber).toBe('4242');
      expect(data.cvc).toBeNull();
      expect(stripe.charges.get(chargeId!)).toEqual({ customer: customerId, amount: 1980, currency: 'jpy' });
      const mine = stripe.requests.filter((r) => r.key?.startsWith(issueId));
      expect(mine.map((r) => r.path)).toEqual(['/v1/customers', '/v1/charges']);
      expect(mine[0]!.form).toMatchObject({
        description: 'Monthly plan for ACME',
        email: 'billing@acme.example',
        'source[object]': 'card',
        'source[exp_month]': '12',
        'source[exp_year]': '2030',
        'source[number]': '4242424242424242',
        'source[cvc]': '123',
        'source[name]': 'Taro Yamada',
      });
    } finally {
      await t.close();
    }
  }, 60_000);

  it('a refused card fails the step with the script error and changes no data', async () => {
    const connectors = createConnectorRegistry([scriptConnector({ fetch: stripeFetch() })]);
    const t = await openRuntime(config(), { connectors });
    try {
      const { appId } = await t.runtime.deploy({ bpmn: APP });
      const { issueId } = await t.runtime.startIssue({ appId, data: { ...START_DATA, cardNumber: '4242' } });
      await t.runtime.createWorker().runOnce();
      const issue = await t.runtime.getIssue(issueId);
      expect(issue.status).not.toBe('completed');
      const data = issue.state.data as Record<string, unknown>;
      expect(data.cardNumber).toBe('4242');
      expect(data.customerId ?? null).toBeNull();
      const incidents = await t.runtime.listIncidents({ issueId });
      expect(incidents.map((i) => [i.node, i.code, i.message])).toEqual([
        ['customer', 'JOB_FAILED', expect.stringContaining('Stripe refused the customer: 402')],
      ]);
    } finally {
      await t.close();
    }
  }, 60_000);
});
